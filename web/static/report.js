// Progressive enhancement for the report page. Everything here is optional: the page is
// complete without it. Loaded from /static/ because the CSP forbids inline script.
(() => {
  // A link to #thread-… (from a diagnosis, a group, a colleague) also unfolds that thread's stack.
  function openTarget() {
    if (location.hash.length < 2) return;
    let target = null;
    try {
      target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    } catch {
      return;
    }
    if (target === null) return;
    if (target.tagName === 'TBODY') {
      for (const details of target.querySelectorAll('details.thread-details')) details.open = true;
      target.hidden = false;
    }
    for (let node = target.parentElement; node !== null; node = node.parentElement) {
      if (node.tagName === 'DETAILS') node.open = true;
    }
  }

  // "3 min ago" next to the UTC time, from the reader's own clock.
  function addRelativeTimes() {
    const now = Date.now();
    for (const time of document.querySelectorAll('time.js-relative')) {
      const at = Date.parse(time.dateTime);
      if (Number.isNaN(at)) continue;
      const minutes = Math.round((now - at) / 60000);
      let ago;
      if (minutes < 1) ago = 'just now';
      else if (minutes < 90) ago = `${minutes} min ago`;
      else if (minutes < 48 * 60) ago = `${Math.round(minutes / 60)} h ago`;
      else ago = `${Math.round(minutes / 1440)} days ago`;
      time.title = time.textContent;
      time.textContent = `${time.textContent} (${ago})`;
    }
  }

  function setUpToolbar() {
    const toolbar = document.querySelector('[data-toolbar]');
    if (toolbar === null) return;
    toolbar.hidden = false;
    const rows = Array.from(document.querySelectorAll('tbody.thread'));
    const filter = toolbar.querySelector('[data-thread-filter]');
    filter?.addEventListener('input', () => {
      const words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
      for (const row of rows) {
        const text = (row.dataset.search ?? '').toLowerCase();
        row.hidden = !words.every((w) => text.includes(w));
      }
    });
    for (const button of toolbar.querySelectorAll('[data-expand]')) {
      button.addEventListener('click', () => {
        const isOpen = button.dataset.expand === 'open';
        for (const details of document.querySelectorAll('#threads details.thread-details')) details.open = isOpen;
      });
    }
  }

  function start() {
    addRelativeTimes();
    setUpToolbar();
    openTarget();
    window.addEventListener('hashchange', openTarget);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
