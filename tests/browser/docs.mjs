// The petstore's API reference page in a real browser: Debian's headless Chromium, driven by
// playwright-core. Run by .ci/browser.sh, which installs both and starts the example:
//
//   node tests/browser/docs.mjs http://127.0.0.1:PORT/docs SCREENSHOT.png
//
// Checks that the page lists every operation of the spec, then runs listPets through
// "Try it out" and checks that the page shows a 200 and the x-call-id response header, then
// deletePet with the API key given in the Authorize dialog.
// Prints one line per check and "N passed, N failed"; exits 1 when any failed.
import { chromium } from "playwright-core";

const [docsUrl, screenshot] = process.argv.slice(2);
if (!docsUrl || !screenshot) {
  console.error("usage: node docs.mjs DOCS_URL SCREENSHOT.png");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const external = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.origin !== new URL(docsUrl).origin && u.protocol !== "data:") external.push(r.url());
  });
  const response = await page.goto(docsUrl);
  check("GET /docs answers 200", response?.status() === 200, `${response?.status()}`);

  // The operations of the spec, as the page reads it.
  const spec = await (await fetch(new URL("/docs/openapi.json", docsUrl))).json();
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === "object" && op.operationId) {
        ops.push({ path, method, id: op.operationId, tag: (op.tags ?? ["default"])[0] });
      }
    }
  }
  check("the spec has operations", ops.length >= 5, `${ops.map((o) => o.id).join(", ")}`);
  await page.waitForSelector(".opblock", { timeout: 30000 });
  for (const op of ops) {
    const block = page.locator(`#operations-${op.tag}-${op.id}`);
    const shown = (await block.count()) === 1;
    const text = shown ? await block.locator(".opblock-summary").innerText() : "";
    check(
      `the page lists ${op.id} (${op.method.toUpperCase()} ${op.path})`,
      shown && text.includes(op.method.toUpperCase()) && text.includes(op.path),
      shown ? "" : "not on the page",
    );
  }
  check(
    "the page offers the API key (Authorize)",
    (await page.locator("button.authorize").count()) === 1,
  );

  // listPets through "Try it out".
  const list = page.locator(`#operations-pets-listPets`);
  await list.locator(".opblock-summary").click();
  await list.locator("button.try-out__btn").click();
  await list.locator("button.execute").click();
  const live = list.locator(".live-responses-table");
  await live.waitFor({ timeout: 30000 });
  const status = (await live.locator("tbody td.response-col_status").first().innerText()).trim();
  check("listPets via Try it out: the page shows 200", status === "200", status);
  const headers = await live.locator("tbody td.response-col_description").first().innerText();
  const callId = headers.match(/x-call-id:\s*([0-9a-f-]{36})/i);
  check(
    "listPets via Try it out: the page shows the x-call-id response header",
    callId !== null,
    callId ? callId[1] : headers.slice(0, 200),
  );
  const curl = await list.locator(".curl-command").innerText().catch(() => "");
  check(
    "Try it out called this server",
    curl.includes(new URL("/v1/pets", docsUrl).href),
    (curl.match(/http[^'\s]*/) ?? [curl])[0],
  );
  // deletePet needs the API key: given in the Authorize dialog, sent by Try it out.
  await page.locator("button.authorize").first().click();
  await page.locator(".auth-container input").first().fill(process.env.PETSTORE_API_KEY ?? "demo-key");
  await page.locator(".auth-container button.authorize").first().click();
  await page.locator("button.btn-done").first().click();
  const del = page.locator(`#operations-pets-deletePet`);
  await del.locator(".opblock-summary").click();
  await del.locator("button.try-out__btn").click();
  await del.locator('tr[data-param-name="petId"] input').fill("1");
  await del.locator("button.execute").click();
  const delLive = del.locator(".live-responses-table");
  await delLive.waitFor({ timeout: 30000 });
  const delStatus = (await delLive.locator("tbody td.response-col_status").first().innerText()).trim();
  check("deletePet via Try it out with the API key from Authorize: 204", delStatus === "204", delStatus);

  check("the page loaded nothing from elsewhere", external.length === 0, external.join(", "));

  await list.scrollIntoViewIfNeeded();
  await del.locator(".opblock-summary").click(); // folded again: listPets' answer in the picture
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${screenshot}`);
} catch (e) {
  check("the browser session", false, e.message);
} finally {
  await browser.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
