import { evaluate, press } from './driver';
import { waitFor } from './wait';

/** Types into the open quick input (input box or quick pick) the way a user does, then presses Enter. */
export async function typeIntoQuickInput(text: string): Promise<void> {
  await waitFor('the quick input', () => evaluate<boolean>('workbench', `!!document.querySelector('.quick-input-widget:not([style*="display: none"]) input')`));
  await evaluate('workbench', `(() => { const i = document.querySelector('.quick-input-widget input'); i.focus(); return true; })()`);
  await evaluate('workbench', `document.execCommand('insertText', false, ${JSON.stringify(text)})`);
  await press('Enter');
}
