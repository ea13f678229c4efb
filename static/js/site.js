// Behaviour that used to be inline (the Content-Security-Policy allows no inline script).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
