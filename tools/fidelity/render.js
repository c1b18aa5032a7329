// Renders models with Google's <model-viewer> in headless Chromium (software WebGL through SwiftShader), one PNG
// each, for meshforge's render fidelity comparison. Usage: node render.js JOB.json
//
// JOB.json: {"environment": "/abs/env.hdr", "size": 256, "chromium": "/usr/bin/chromium",
//            "scenes": [{"model": "/abs/model.glb", "out": "/abs/out.png",
//                        "target": [x, y, z], "theta": deg, "phi": deg, "radius": metres, "fov": deg,
//                        "viewOffset": [x, y, width, height]}]}
// viewOffset (optional) draws a window of the full image, in pixels from its top left (three.js's
// PerspectiveCamera.setViewOffset): an off-axis view, as a renderer that frames by shifting the image plane makes.
// Files are served from a loopback HTTP server (a model's directory, so that a .gltf finds its buffers and
// images). The background is transparent, there is no shadow, and the tone mapping is Khronos PBR Neutral.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const {chromium} = require('playwright-core');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const viewerScript = require.resolve('@google/model-viewer/dist/model-viewer.min.js');
const types = {'.js': 'text/javascript', '.html': 'text/html', '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.hdr': 'application/octet-stream', '.bin': 'application/octet-stream'};

const page = `<!doctype html><html><head><style>html,body{margin:0;background:transparent}
model-viewer{width:${job.size}px;height:${job.size}px;background:transparent;--poster-color:transparent}
</style><script type="module" src="/viewer.js"></script></head><body></body></html>`;

// /viewer.js, /page.html, /env.hdr, /m/<scene index>/<path inside the model's directory>
function serve(req, res) {
  const url = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  let file = null;
  if (url === '/page.html') {
    res.writeHead(200, {'Content-Type': 'text/html'});
    res.end(page);
    return;
  } else if (url === '/viewer.js') {
    file = viewerScript;
  } else if (url === '/env.hdr') {
    file = job.environment;
  } else {
    const m = /^\/m\/(\d+)\/(.+)$/.exec(url);
    if (m && job.scenes[+m[1]]) {
      const root = path.dirname(job.scenes[+m[1]].model);
      const candidate = path.resolve(root, m[2]);
      if (candidate.startsWith(root + path.sep)) file = candidate;
    }
  }
  if (!file || !fs.existsSync(file)) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, {'Content-Type': types[path.extname(file).toLowerCase()] || 'application/octet-stream'});
  fs.createReadStream(file).pipe(res);
}

async function renderOne(tab, index, scene) {
  const src = `/m/${index}/${encodeURIComponent(path.basename(scene.model))}`;
  const result = await tab.evaluate(async ({src, scene, size}) => {
    const ModelViewer = customElements.get('model-viewer');
    ModelViewer.minimumRenderScale = 1; // never render below the page's resolution to keep up the frame rate
    document.body.innerHTML = '';
    const mv = document.createElement('model-viewer');
    const attributes = {
      'environment-image': '/env.hdr', 'tone-mapping': 'neutral', 'exposure': '1', 'shadow-intensity': '0',
      'interaction-prompt': 'none', 'loading': 'eager', 'reveal': 'auto',
      'camera-target': `${scene.target[0]}m ${scene.target[1]}m ${scene.target[2]}m`,
      'camera-orbit': `${scene.theta}deg ${scene.phi}deg ${scene.radius}m`,
      'min-camera-orbit': 'auto 0deg 0m', 'max-camera-orbit': 'auto 180deg auto',
      'field-of-view': `${scene.fov}deg`, 'min-field-of-view': '1deg', 'max-field-of-view': '170deg',
      'interpolation-decay': '1'};
    for (const [k, v] of Object.entries(attributes)) mv.setAttribute(k, v);
    const loaded = new Promise((resolve, reject) => {
      mv.addEventListener('load', resolve, {once: true});
      mv.addEventListener('error', e => reject(new Error('model-viewer could not load ' + src + ': '
          + JSON.stringify(e.detail && e.detail.type))), {once: true});
    });
    const lit = new Promise(resolve => mv.addEventListener('environment-change', resolve, {once: true}));
    mv.setAttribute('src', src);
    document.body.appendChild(mv);
    await loaded;
    await Promise.race([lit, new Promise(r => setTimeout(r, 20000))]);
    mv.jumpCameraToGoal();
    if (scene.viewOffset) {
      // model-viewer keeps its three.js scene under a private symbol; it never sets a view offset itself.
      const key = Object.getOwnPropertySymbols(mv).find(s => s.description === 'scene');
      const model = mv[key];
      const [x, y, w, h] = scene.viewOffset;
      model.camera.setViewOffset(size, size, x, y, w, h);
      model.queueRender();
    }
    for (let i = 0; i < 12; i++) await new Promise(r => requestAnimationFrame(r));
    return mv.toDataURL('image/png');
  }, {src, scene, size: job.size});
  fs.writeFileSync(scene.out, Buffer.from(result.split(',')[1], 'base64'));
}

(async () => {
  const server = http.createServer(serve);
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({executablePath: job.chromium || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
      '--disable-background-networking', '--disable-dev-shm-usage']});
  let failed = 0;
  try {
    const tab = await browser.newPage({viewport: {width: job.size, height: job.size}, deviceScaleFactor: 1});
    tab.setDefaultTimeout(120000);
    await tab.goto(base + '/page.html');
    await tab.waitForFunction(() => customElements.get('model-viewer') !== undefined);
    for (let i = 0; i < job.scenes.length; i++) {
      try {
        await renderOne(tab, i, job.scenes[i]);
        console.log('rendered ' + job.scenes[i].out);
      } catch (e) {
        failed++;
        console.error('failed ' + job.scenes[i].model + ': ' + e.message);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(failed ? 1 : 0);
})().catch(e => {
  console.error(e.stack || String(e));
  process.exit(2);
});
