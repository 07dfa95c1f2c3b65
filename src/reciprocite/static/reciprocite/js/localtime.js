// Each viewer also sees a meeting's time in their own time zone (the browser's).
document.addEventListener("DOMContentLoaded", () => {
  for (const el of document.querySelectorAll("[data-local-time]")) {
    const start = new Date(el.dataset.localTime);
    const end = new Date(el.dataset.localEnd);
    if (Number.isNaN(start.getTime())) continue;
    const lang = document.documentElement.lang || undefined;
    const day = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
    const hour = new Intl.DateTimeFormat(lang, {
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    });
    el.textContent = ` · ${el.dataset.label} ${day.format(start)}–${hour.format(end)}`;
  }
});
