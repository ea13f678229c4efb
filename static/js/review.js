// Keyboard shortcuts of the review page (assessments/review.html): j / k move to the next / previous item
// and open its first evidence preview, v / n record "verified" / "not verified" for that item (through the
// item's own buttons, so htmx and the server's rules apply as for a click). They are off while a text field,
// a list or an editable area has the focus, and a checkbox switches them off (kept in this browser), since
// single-letter shortcuts can clash with speech input or assistive technology (WCAG 2.1.4).
(() => {
  const help = document.getElementById("review-shortcuts");
  const toggle = document.getElementById("review-shortcuts-on");
  const items = Array.from(document.querySelectorAll("[data-review-item]"));
  if (!help || !toggle || items.length === 0) {
    return;
  }
  const STORAGE_KEY = "review-shortcuts";
  try {
    toggle.checked = window.localStorage.getItem(STORAGE_KEY) !== "off";
  } catch (error) {
    // storage refused (private mode): the shortcuts stay on for this page
  }
  toggle.addEventListener("change", () => {
    try {
      window.localStorage.setItem(STORAGE_KEY, toggle.checked ? "on" : "off");
    } catch (error) {
      // nothing to keep
    }
  });
  help.hidden = false;

  let current = -1;

  function mark(index) {
    if (current >= 0 && current !== index) {
      items[current].classList.remove("table-active");
      items[current].removeAttribute("aria-current");
    }
    current = index;
    items[index].classList.add("table-active");
    items[index].setAttribute("aria-current", "true");
  }

  function move(index) {
    if (index < 0 || index >= items.length || index === current) {
      return;
    }
    if (current >= 0) {
      items[current].querySelectorAll("details.evidence-preview[open]").forEach((details) => {
        details.open = false;
      });
    }
    mark(index);
    const preview = items[index].querySelector("details.evidence-preview");
    if (preview) {
      preview.open = true;
    }
    items[index].focus();
    items[index].scrollIntoView({ block: "start", behavior: "instant" });
  }

  function record(verdict) {
    if (current < 0) {
      return;
    }
    const button = items[current].querySelector(`button[data-verdict="${verdict}"]`);
    if (button && !button.disabled) {
      button.click();
    }
  }

  function typing(element) {
    return (
      element.isContentEditable ||
      element.matches("textarea, select, input:not([type=checkbox], [type=radio], [type=button], [type=submit], [type=reset])")
    );
  }

  document.addEventListener("keydown", (event) => {
    if (!toggle.checked || event.defaultPrevented || event.isComposing) {
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.target instanceof Element && typing(event.target)) {
      return;
    }
    const actions = {
      j: () => move(current + 1),
      k: () => move(Math.max(current - 1, 0)),
      v: () => record("1"),
      n: () => record("0"),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  // Clicking or tabbing into an item makes it the current one (its previews are left as they are).
  items.forEach((item, index) => {
    item.addEventListener("focusin", () => mark(index));
  });
})();
