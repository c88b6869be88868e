import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`; .ci/run installs it when missing): no browser download. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for root on a closed network: no sandbox, no GPU, and nothing that calls home at start. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile and one page at 1280×800 whose console errors are collected. */
export async function openBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'tributary-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Controls (buttons, inputs, selects, links, tabs) without an accessible name: their outer HTML, for the failure message. */
export function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const named = (el: Element): boolean => {
      const label = el.getAttribute('aria-label')?.trim();
      if (label) return true;
      const by = el.getAttribute('aria-labelledby');
      if (by && by.split(/\s+/).some((id) => document.getElementById(id)?.textContent?.trim())) return true;
      if ((el as HTMLInputElement).labels?.length && [...(el as HTMLInputElement).labels!].some((l) => l.textContent?.trim())) return true;
      if (el.getAttribute('title')?.trim()) return true;
      const tag = el.tagName.toLowerCase();
      return (tag === 'button' || tag === 'a' || el.getAttribute('role') === 'tab') && !!el.textContent?.trim();
    };
    return [...document.querySelectorAll('button, input, select, textarea, a[href], [role="tab"]')]
      .filter((el) => (el as HTMLElement).offsetParent !== null || el === document.activeElement)
      .filter((el) => !named(el))
      .map((el) => el.outerHTML.slice(0, 160));
  });
}

/** Elements that stick out of the viewport sideways (the page would scroll sideways): empty when it fits. */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth + 1) return [];
    // Inside a scroller (a wide table scrolls in its own box) is fine, unless it escapes it (position: absolute).
    const inScroller = (el: Element) => !!el.parentElement?.closest('.table-wrap, .feed') && getComputedStyle(el).position !== 'absolute';
    const offenders = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !inScroller(el))
      .slice(0, 10)
      .map(
        (el) => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}: ${el.textContent?.slice(0, 60)}`,
      );
    return [`page ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px viewport`, ...offenders];
  });
}
