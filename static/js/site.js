// Behaviour that used to be inline (the Content-Security-Policy allows no inline script).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// Tier rows: "Add a tier" copies the formset's empty row (its <template>) and counts it in TOTAL_FORMS.
for (const button of document.querySelectorAll("[data-formset-add]")) {
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const maximum = Number(document.getElementById(`id_${prefix}-MAX_NUM_FORMS`).value);
  const body = document.querySelector(`[data-formset="${prefix}"] tbody`);
  const empty = document.getElementById(`${prefix}-empty`);
  button.hidden = false;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    if (index >= maximum) return;
    const row = empty.content.firstElementChild.cloneNode(true);
    row.innerHTML = row.innerHTML.replaceAll("__prefix__", String(index));
    body.appendChild(row);
    total.value = String(index + 1);
    button.disabled = index + 1 >= maximum;
    row.querySelector("input, select")?.focus();
  });
}

// The simulation's weights: their running sum, marked while it is not 100.
const weightSum = document.getElementById("weight-sum");
if (weightSum) {
  const weights = [...document.querySelectorAll("input[name^='weight_']")];
  const update = () => {
    const sum = weights.reduce((total, input) => total + (Number(input.value.replace(",", ".")) || 0), 0);
    weightSum.value = String(Math.round(sum * 100) / 100);
    weightSum.classList.toggle("text-danger", Math.abs(sum - 100) > 1e-9);
    weightSum.classList.toggle("fw-semibold", Math.abs(sum - 100) > 1e-9);
  };
  for (const input of weights) input.addEventListener("input", update);
  update();
}

// A table wider than its box scrolls inside it: keyboard users reach it with Tab and scroll it with the arrow keys.
function markScrollableTables() {
  for (const box of document.querySelectorAll(".table-responsive")) {
    if (box.scrollWidth > box.clientWidth) {
      box.tabIndex = 0;
    } else {
      box.removeAttribute("tabindex");
    }
  }
}
document.addEventListener("DOMContentLoaded", markScrollableTables);
window.addEventListener("resize", markScrollableTables);
document.addEventListener("htmx:afterSettle", markScrollableTables);
