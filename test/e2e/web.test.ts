import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDevnet, type Devnet } from '@tributary/deploy';
import { devWallet } from '@tributary/contracts';
import { fakeWallet, horizontalOverflow, openBrowser, unnamedControls, type BrowserSession } from '../support/browser';
import { waitFor } from '../support/harness';

// The web app in a real browser (Debian's headless chromium through playwright-core) against the devnet as `npm start`
// runs it (3 hardhat nodes, relayer, aggregator, the devnet's web server): a demo trader deposits, sees the credit
// rise, trades, withdraws to the payout; the operator view shows both collateral chains and a delivered packet. Any
// console error fails. Screenshots of both views at 1280×800 and at phone width go to test/artifacts/web/.
const PORTS = { chain: 19900, aggregator: 19910, relayer: 19911, web: 19912 };
const TRADER = 7;
/** Signs through the page's browser wallet (a Hardhat-unlocked account), never through a key the page holds. */
const WALLET_TRADER = 8;
const ARTIFACTS = resolve(__dirname, '..', 'artifacts', 'web');

/** The first number in a formatted figure (`9,476.59 USD` → 9476.59; `—` → NaN). */
const figure = (text: string | null) =>
  Number(
    (text ?? '')
      .replace(/,/g, '')
      .replace('\u2212', '-')
      .match(/-?\d+(\.\d+)?/)?.[0] ?? NaN,
  );

describe('web app in a browser against the devnet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-web-'));
  let devnet: Devnet;
  let browser: BrowserSession;
  const measured: Record<string, unknown> = {};

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    devnet = await startDevnet({
      dir,
      chainPort: PORTS.chain,
      aggregatorPort: PORTS.aggregator,
      relayerPort: PORTS.relayer,
      webPort: PORTS.web,
      blockTimeMs: 1000,
      simulatePrices: false,
      log: () => undefined,
    });
    expect(devnet.webBuilt).toBe(true);
    browser = await openBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.page.screenshot({ path: join(ARTIFACTS, 'last.png'), fullPage: true }).catch(() => undefined);
    if (browser?.errors.length) console.log(`browser errors:\n${browser.errors.join('\n')}`);
    await browser?.close();
    await devnet?.stop();
    console.log(`web app measurements: ${JSON.stringify(measured, null, 1)}`);
  });

  it('trader: demo account, deposit 1,000 USDC → credit on the page, a position, a safe withdrawal paid', async () => {
    const { page } = browser;
    await page.goto(`${devnet.urls.web}/#/trader`);
    await page.getByLabel('Demo account (devnet)').selectOption(`demo:${TRADER}`);
    await page.getByTestId('trader-address').waitFor();
    await page.getByText('live', { exact: true }).waitFor({ timeout: 15_000 });
    const creditBefore = figure(await page.getByTestId('credit-limit').textContent());

    // Deposit: fee quote and what-if while editing, confirmation, then the stages to the credit.
    await page.getByLabel('Chain', { exact: true }).selectOption('collateral-a');
    await page.getByLabel('Asset', { exact: true }).selectOption('USDC');
    await page.getByLabel('Amount', { exact: true }).fill('1000');
    await page.getByTestId('fee-quote').waitFor();
    await page.getByTestId('what-if').waitFor();
    await page.getByRole('button', { name: 'Review deposit' }).click();
    const clicked = Date.now();
    await page.getByRole('button', { name: 'Confirm deposit' }).click();
    await page.waitForFunction(
      (before) => {
        const text = document.querySelector('[data-testid="credit-limit"]')?.textContent ?? '';
        const value = Number(text.replace(/,/g, '').match(/\d+(\.\d+)?/)?.[0] ?? NaN);
        return value > (Number.isNaN(before) ? 0 : before) + 900;
      },
      creditBefore,
      { timeout: 90_000, polling: 50 },
    );
    measured.depositClickToCreditOnPageMs = Date.now() - clicked;
    const credit = figure(await page.getByTestId('credit-limit').textContent());
    expect(credit).toBeGreaterThan(900);
    await page.locator('li[data-stage="credited"][data-state="done"]').waitFor({ timeout: 60_000 });
    measured.depositStages = await page.locator('.tracker li').allInnerTexts();
    await page.getByTestId('collateral-collateral-a-USDC').waitFor();

    // A position against the cross-chain credit.
    await page.getByRole('button', { name: 'New action' }).click();
    await page.getByRole('tab', { name: 'Trade', exact: true }).click();
    await page.getByLabel('Size', { exact: true }).fill('0.1');
    await page.getByTestId('fee-quote').getByText('trading fee').waitFor();
    await page.getByRole('button', { name: 'Review trade' }).click();
    const traded = Date.now();
    await page.getByRole('button', { name: 'Confirm trade' }).click();
    await page.getByTestId('position-WETH').waitFor({ timeout: 60_000 });
    measured.tradeClickToPositionOnPageMs = Date.now() - traded;
    await page.getByTestId('action-done').waitFor({ timeout: 60_000 });
    expect(figure(await page.getByTestId('credit-used').textContent())).toBeGreaterThan(0);

    // A safe withdrawal, followed through the hub's decision to the payout.
    await page.getByRole('button', { name: 'New action' }).click();
    await page.getByRole('tab', { name: 'Withdraw', exact: true }).click();
    await page.getByLabel('Chain', { exact: true }).selectOption('collateral-a');
    await page.getByLabel('Asset', { exact: true }).selectOption('USDC');
    await page.getByLabel('Amount', { exact: true }).fill('100');
    await page.getByTestId('what-if').waitFor();
    await page.getByRole('button', { name: 'Review withdraw' }).click();
    const withdrew = Date.now();
    await page.getByRole('button', { name: 'Confirm withdraw' }).click();
    await page.locator('li[data-stage="decided"][data-state="done"]').waitFor({ timeout: 90_000 });
    await page.locator('li[data-stage="paid"][data-state="done"]').waitFor({ timeout: 60_000 });
    measured.withdrawClickToPaidMs = Date.now() - withdrew;
    measured.withdrawStages = await page.locator('.tracker li').allInnerTexts();
    await page.getByTestId('collateral-collateral-a-USDC').getByText('900 USDC').waitFor({ timeout: 30_000 });

    // Terms are explained on hover; every control has a name; the chart has points.
    await page
      .locator('.stat')
      .filter({ has: page.getByTestId('health') })
      .locator('.term')
      .hover();
    await page.getByRole('tooltip', { name: /Health = / }).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'trader-1280x800.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });

  it('operator: both collateral chains and a delivered packet; both views fit a phone', async () => {
    const { page } = browser;
    await page.goto(`${devnet.urls.web}/#/operator`);
    await page.getByTestId('chain-collateral-a').waitFor();
    await page.getByTestId('chain-collateral-b').waitFor();
    await page.locator('[data-testid="packet-row"][data-status="delivered"]').first().waitFor({ timeout: 30_000 });
    await page.getByRole('table', { name: 'Relayer pathways' }).waitFor();
    await page.getByRole('list', { name: 'Accounts per health band' }).waitFor();
    expect(await page.getByRole('table', { name: 'Relayer pathways' }).getByRole('row').count()).toBeGreaterThanOrEqual(5);
    expect(await unnamedControls(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'operator-1280x800.png'), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'operator-390.png'), fullPage: true });
    await page.goto(`${devnet.urls.web}/#/trader`);
    await page.getByTestId('position-WETH').waitFor();
    expect(await horizontalOverflow(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'trader-390.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
  });

  it('browser wallet: connect it, deposit on collateral-b through it (the wallet switches chains and signs)', async () => {
    const page = await browser.newPage();
    const account = devWallet(WALLET_TRADER).address;
    const rpc = Object.fromEntries(devnet.manifest.chains.map((c) => [c.chainId, c.rpcUrl]));
    await page.addInitScript(fakeWallet, { account, rpc, chainId: devnet.manifest.chains[0]!.chainId });
    await page.goto(`${devnet.urls.web}/#/trader`);
    await page.getByRole('button', { name: 'Connect browser wallet' }).click();
    await page.getByTestId('trader-address').getByText('browser wallet').waitFor();
    await page.getByText('live', { exact: true }).waitFor({ timeout: 15_000 });
    await page.getByLabel('Chain', { exact: true }).selectOption('collateral-b');
    await page.getByLabel('Asset', { exact: true }).selectOption('WETH');
    await page.getByLabel('Amount', { exact: true }).fill('0.5');
    await page.getByTestId('fee-quote').waitFor();
    await page.getByRole('button', { name: 'Review deposit' }).click();
    await page.getByRole('button', { name: 'Confirm deposit' }).click();
    await page.locator('li[data-stage="credited"][data-state="done"]').waitFor({ timeout: 90_000 });
    await page.getByTestId('collateral-collateral-b-WETH').getByText('0.5 WETH').waitFor({ timeout: 30_000 });
    // The page refreshes the account on its event stream: the new limit shows up a moment after the tracker's last stage.
    const creditOnPage = await waitFor(
      'the WETH credit on the page',
      async () => {
        const shown = figure(await page.getByTestId('credit-limit').textContent());
        return shown > 1000 ? shown : undefined;
      },
      30_000,
    );
    expect(creditOnPage).toBeGreaterThan(1000);
    await page.close();
    expect(browser.errors).toEqual([]);
  });
});
