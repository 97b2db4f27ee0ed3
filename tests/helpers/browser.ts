import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from './proc';

export const artifactsDir = join(repoRoot, 'tests', '.artifacts');

/** Debian's chromium driven by playwright-core (no browser download on these machines). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/**
 * Saves a full-page PNG under tests/.artifacts and returns how many distinct colours it
 * has, decoded by the browser itself: a blank or unstyled page has only one or two.
 */
export async function screenshot(page: Page, name: string): Promise<{ file: string; colours: number }> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${name}.png`);
  const png = await page.screenshot({ path: file, fullPage: true });
  // Decoded in a blank page: the app's CSP rightly forbids data: fetches.
  const browser = page.context().browser()!;
  const scratchContext = await browser.newContext();
  const scratch = await scratchContext.newPage();
  const colours = await scratch.evaluate(async (b64: string) => {
    // Runs in the page; the Node project has no DOM types, so name the few it uses.
    const w = globalThis as unknown as {
      createImageBitmap(b: Blob): Promise<{ width: number; height: number }>;
      OffscreenCanvas: new (w: number, h: number) => {
        getContext(k: '2d'): { drawImage(i: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
      };
    };
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const blob = new Blob([bytes], { type: 'image/png' });
    const bmp = await w.createImageBitmap(blob);
    const canvas = new w.OffscreenCanvas(bmp.width, bmp.height);
    const g = canvas.getContext('2d')!;
    g.drawImage(bmp, 0, 0);
    const data = g.getImageData(0, 0, bmp.width, bmp.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    return seen.size;
  }, png.toString('base64'));
  await scratchContext.close();
  return { file, colours };
}
