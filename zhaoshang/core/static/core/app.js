// Tom Select on every select marked data-search; idle logout mirrors the server's 30-minute session.
document.querySelectorAll("select[data-search]").forEach((el) => new TomSelect(el, { allowEmptyOption: true }));
(function () {
  const body = document.body;
  const minutes = Number(body.dataset.idleMinutes || 30);
  let last = Date.now();
  ["click", "keydown", "mousemove", "scroll"].forEach((e) => document.addEventListener(e, () => { last = Date.now(); }, { passive: true }));
  setInterval(() => {
    const form = document.getElementById("logout-form");
    if (form && Date.now() - last > minutes * 60 * 1000) {
      const reason = document.createElement("input");
      Object.assign(reason, { type: "hidden", name: "reason", value: "idle" });
      form.appendChild(reason);
      form.submit();
    }
  }, 30 * 1000);
})();
// Behaviour that templates declare with data attributes (the Content-Security-Policy allows no inline script and no
// on…= handlers): a link back through the browser's history.
document.addEventListener("click", (event) => {
  const back = event.target.closest("[data-history-back]");
  if (back) {
    event.preventDefault();
    window.history.back();
  }
});
