/** The one HTML page of the console: an import map, the styles and the entry module. */
import { createHash } from 'node:crypto';
import { IMPORT_MAP, makeAsset, type Asset } from './assets.ts';

const importMap = JSON.stringify(IMPORT_MAP);

/** The import map is inline (browsers require it), so the CSP allows exactly its hash. */
const importMapHash = `sha256-${createHash('sha256').update(importMap).digest('base64')}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' '${importMapHash}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>couponhub console</title>
<link rel="icon" href="/console/app/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/app/styles.css">
<script type="importmap">${importMap}</script>
<script type="module" src="/console/app/main.ts"></script>
</head>
<body>
<div id="root"><noscript>The couponhub console needs JavaScript. 控制台需要启用 JavaScript。</noscript></div>
</body>
</html>
`;

export const SHELL: Asset = makeAsset(Buffer.from(html, 'utf8'), 'text/html; charset=utf-8');
