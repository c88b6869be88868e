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
  /** Console errors and uncaught page errors seen so far (of every page it opened). */
  errors: string[];
  /** Another page (tab) whose errors are collected too. */
  newPage(): Promise<Page>;
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
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
    return page;
  };
  const page = watch(context.pages()[0] ?? (await context.newPage()));
  return {
    context,
    page,
    errors,
    newPage: async () => watch(await context.newPage()),
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

/**
 * A browser wallet for the page (window.ethereum, EIP-1193) over Hardhat's unlocked dev accounts: it holds `account`,
 * switches between the given chains on wallet_switchEthereumChain and sends everything else to the current chain's
 * node, which signs eth_sendTransaction itself. Install with page.addInitScript before the page loads.
 */
export function fakeWallet(args: { account: string; rpc: Record<number, string>; chainId: number }): void {
  type Listener = (value: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  let chainId = args.chainId;
  const emit = (event: string, value: unknown) => listeners.get(event)?.forEach((l) => l(value));
  let id = 0;
  const provider = {
    isMetaMask: false,
    async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
      switch (method) {
        case 'eth_requestAccounts':
        case 'eth_accounts':
          return [args.account];
        case 'eth_chainId':
          return `0x${chainId.toString(16)}`;
        case 'wallet_switchEthereumChain': {
          const next = Number((params?.[0] as { chainId: string }).chainId);
          if (!args.rpc[next]) throw Object.assign(new Error('unknown chain'), { code: 4902 });
          chainId = next;
          emit('chainChanged', `0x${next.toString(16)}`);
          return null;
        }
        case 'wallet_requestPermissions':
        case 'wallet_revokePermissions':
          return [];
      }
      const response = await fetch(args.rpc[chainId]!, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params: params ?? [] }),
      });
      const body = (await response.json()) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
      if (body.error) throw Object.assign(new Error(body.error.message), body.error);
      return body.result;
    },
    on(event: string, listener: Listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
      return provider;
    },
    removeListener(event: string, listener: Listener) {
      listeners.get(event)?.delete(listener);
      return provider;
    },
  };
  (window as unknown as { ethereum: unknown }).ethereum = provider;
}
