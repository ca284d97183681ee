// The labelers' page: sign in with a token, pick a job, answer one item at a time.
// Plain JS against the REST API documented in docs/labeling-api.md; no build step.
(function () {
  'use strict';

  const API = '/api/labeling';
  const $ = (id) => document.getElementById(id);
  const state = {
    token: sessionStorage.getItem('lifecycle.labeling.token'),
    job: null,        // the open job (JobView)
    item: null,       // the item shown (ItemView)
    keys: new Map(),  // keyboard key -> answer
    busy: false,
    imageUrl: null,
  };

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error) || ('HTTP ' + status));
      this.status = status;
      this.body = body;
    }
  }

  async function api(method, path, body) {
    const headers = {};
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
  }

  function show(view) {
    for (const id of ['sign-in-view', 'jobs-view', 'job-view']) $(id).hidden = id !== view;
    $('who').hidden = view === 'sign-in-view';
  }

  function error(message) {
    $('error').textContent = message || '';
    $('error').hidden = !message;
  }

  function failed(e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut();
      error(e.message);
      return;
    }
    error(e.message);
  }

  function signOut() {
    state.token = null;
    state.job = null;
    sessionStorage.removeItem('lifecycle.labeling.token');
    history.replaceState(null, '', location.pathname);
    show('sign-in-view');
    $('token').value = '';
    $('token').focus();
  }

  async function signIn(token) {
    state.token = token;
    const signedIn = await api('POST', '/sign-in', { token });
    sessionStorage.setItem('lifecycle.labeling.token', token);
    $('who-name').textContent = 'Signed in as ' + signedIn.annotator;
    error('');
    const wanted = Number(new URLSearchParams(location.hash.slice(1)).get('job'));
    const job = signedIn.jobs.find((j) => j.id === wanted) ||
      (signedIn.jobs.length === 1 ? signedIn.jobs[0] : null);
    if (job) return openJob(job.id);
    listJobs(signedIn.jobs);
  }

  function listJobs(jobs) {
    state.job = null;
    history.replaceState(null, '', location.pathname);
    const list = $('jobs');
    list.replaceChildren();
    for (const job of jobs) {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = job.step + ' (job ' + job.id + '): ' + job.progress.answered +
        ' answered, ' + job.progress.remaining + ' left';
      button.addEventListener('click', () => openJob(job.id).catch(failed));
      li.append(button);
      list.append(li);
    }
    $('no-jobs').hidden = jobs.length > 0;
    show('jobs-view');
  }

  async function openJob(id) {
    const job = await api('GET', '/jobs/' + id);
    state.job = job;
    history.replaceState(null, '', '#job=' + id);
    $('job-title').textContent = job.step;
    $('instructions').textContent = job.instructions || 'Pick the label that fits the item.';
    $('instructions-box').hidden = false;
    buildAnswers(job);
    show('job-view');
    await nextItem();
  }

  // Digits 1..9 answer the first nine classes; a class's first letter answers it when no other
  // class starts with that letter and it is not S (skip).
  function buildAnswers(job) {
    state.keys = new Map();
    const box = $('answers');
    box.replaceChildren();
    const firsts = job.classes.map((c) => c.charAt(0).toLowerCase());
    job.classes.forEach((cls, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'answer';
      button.dataset.answer = cls;
      if (i < 9) {
        state.keys.set(String(i + 1), cls);
        const kbd = document.createElement('kbd');
        kbd.textContent = String(i + 1);
        button.append(kbd);
      }
      const letter = firsts[i];
      const unique = /[a-z]/.test(letter) && letter !== 's' &&
        firsts.indexOf(letter) === firsts.lastIndexOf(letter);
      if (unique) {
        state.keys.set(letter, cls);
        const u = document.createElement('u');
        u.textContent = cls.charAt(0);
        button.append(u, document.createTextNode(cls.slice(1)));
      } else {
        button.append(document.createTextNode(cls));
      }
      button.addEventListener('click', () => answer(cls));
      box.append(button);
    });
    $('free-text-form').hidden = !job.freeText;
  }

  function showProgress(p) {
    const total = p.answered + p.remaining;
    $('progress-bar').max = Math.max(total, 1);
    $('progress-bar').value = p.answered;
    $('progress-text').textContent = p.answered + ' of ' + total + ' answered' +
      (p.skipped ? ', ' + p.skipped + ' skipped' : '');
  }

  async function nextItem() {
    const next = await api('GET', '/jobs/' + state.job.id + '/next');
    showProgress(next.progress);
    state.item = next.item;
    if (!next.item) {
      $('item').hidden = true;
      $('done').hidden = false;
      return;
    }
    $('done').hidden = true;
    await render(next.item);
    $('item').hidden = false;
  }

  async function render(item) {
    $('item-key').textContent = 'Item ' + item.key;
    const image = $('item-image');
    if (state.imageUrl) URL.revokeObjectURL(state.imageUrl);
    state.imageUrl = null;
    image.hidden = !item.image;
    image.removeAttribute('src');
    if (item.image) {
      // The image endpoint needs the token, which an <img src> cannot send: fetch it as a blob.
      const response = await fetch(item.image, { headers: { Authorization: 'Bearer ' + state.token } });
      if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
      state.imageUrl = URL.createObjectURL(await response.blob());
      image.src = state.imageUrl;
      image.dataset.item = String(item.key);
    }
    $('item-text').hidden = item.text == null;
    $('item-text').textContent = item.text || '';
    const rows = $('item-fields').tBodies[0];
    rows.replaceChildren();
    const fields = Object.entries(item.fields || {});
    const showFields = item.kind === 'row' || (item.kind === 'text' && fields.length > 0);
    for (const [name, value] of showFields ? fields : []) {
      const tr = document.createElement('tr');
      const k = document.createElement('td');
      const v = document.createElement('td');
      k.textContent = name;
      v.textContent = value == null ? '' : String(value);
      tr.append(k, v);
      rows.append(tr);
    }
    $('item-fields').hidden = !showFields || fields.length === 0;
    $('free-text').value = '';
  }

  async function act(action) {
    if (state.busy || !state.item) return;
    state.busy = true;
    setButtons(false);
    try {
      await action(state.item);
      error('');
      await nextItem();
    } catch (e) {
      failed(e);
    } finally {
      state.busy = false;
      setButtons(true);
    }
  }

  function setButtons(enabled) {
    for (const b of document.querySelectorAll('#answers button, #skip')) b.disabled = !enabled;
  }

  function answer(value) {
    return act((item) =>
      api('POST', '/jobs/' + state.job.id + '/items/' + item.key + '/answer', { answer: value }));
  }

  function skip() {
    return act((item) => api('POST', '/jobs/' + state.job.id + '/items/' + item.key + '/skip'));
  }

  document.addEventListener('keydown', (event) => {
    if (!state.job || $('job-view').hidden || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof HTMLInputElement) return;
    const key = event.key.toLowerCase();
    if (key === 's') {
      event.preventDefault();
      skip();
    } else if (state.keys.has(key)) {
      event.preventDefault();
      answer(state.keys.get(key));
    }
  });

  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn($('token').value.trim()).catch(failed);
  });
  $('free-text-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('free-text').value.trim();
    if (value) answer(value);
  });
  $('skip').addEventListener('click', skip);
  $('sign-out').addEventListener('click', signOut);
  $('back').addEventListener('click', () => api('GET', '/jobs').then(listJobs).catch(failed));

  if (state.token) {
    signIn(state.token).catch(failed);
  } else {
    show('sign-in-view');
  }
})();
