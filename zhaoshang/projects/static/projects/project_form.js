// The project form (new and edit): the live admission check and the classifier's suggestions.
// The live check runs one request at a time (hx-sync queue). Saving waits for a running check to finish, and no
// check starts once the form is being saved, so the server never handles a check and the save at once.
(function () {
  const form = document.getElementById("project-form");
  let checking = false;
  let submitting = false;
  form.addEventListener("htmx:beforeRequest", (event) => {
    if (submitting) event.preventDefault();
    else checking = true;
  });
  form.addEventListener("htmx:afterRequest", () => {
    checking = false;
    if (submitting) form.requestSubmit();
  });
  form.addEventListener("submit", (event) => {
    if (checking) event.preventDefault();
    submitting = true;
  });
})();
// "采用建议产业 / 行业": fill an empty select with the classifier's suggestion; the change re-runs the check.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-fill-field]");
  const select = button && document.getElementById(button.dataset.fillField);
  if (!select) return;
  if (select.tomselect) {
    select.tomselect.setValue(button.dataset.fillValue);
  } else {
    select.value = button.dataset.fillValue;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
});
