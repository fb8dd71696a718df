/**
 * Awkward strings the seed sprinkles into logs, failure messages, metadata and outputs, so that
 * every view of the extension is exercised against markup injection, terminal escapes, bidi text,
 * combining marks and very long lines.
 */

export const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '"><svg onload=alert(1)>',
  "'; DROP TABLE runs; --",
  '{{constructor.constructor("alert(1)")()}}',
  '${7*7} %s %n %x',
  '[click me](javascript:alert(1))',
] as const;

export const UNICODE_STRINGS = [
  'Rendu terminé ✅ 🎨🖼️',
  'مرحبا بالعالم — تم إنشاء الصورة',
  'שלום עולם: התמונה מוכנה',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇ text with combining marks',
  'e\u0301 vs \u00e9 (decomposed vs precomposed)',
  '👩‍👩‍👧‍👦 family ZWJ sequence, 🏳️‍🌈 flag, 👍🏽 skin tone',
  '生成が完了しました。画像を保存しています…',
  'zero\u200bwidth\u200bspaces and a soft\u00adhyphen',
  'mixed: abc \u202eRTL override\u202c def',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙 𝒔𝒄𝒓𝒊𝒑𝒕 (astral plane)',
] as const;

const ESC = '\u001b';

export const ANSI_STRINGS = [
  `${ESC}[32mINFO${ESC}[0m sampler ready`,
  `${ESC}[1;31mERROR${ESC}[0m ${ESC}[4mnode failed${ESC}[24m`,
  `${ESC}[33m⚠ low VRAM${ESC}[0m: ${ESC}[38;5;208m21.1/23.7 GiB${ESC}[0m`,
  `${ESC}[38;2;120;200;255mtruecolor${ESC}[0m progress ${ESC}[7m 42% ${ESC}[27m`,
  `\r 45%|████▌     | 9/20 [00:04<00:05,  2.13it/s]`,
  `${ESC}[2K${ESC}[1Gdownloading weights... ${ESC}]8;;https://example.com${ESC}\\link${ESC}]8;;${ESC}\\`,
] as const;

/** A line over 5,000 characters that looks like a dumped tensor. */
export function longLine(salt: number, length = 6000): string {
  const parts: string[] = ['tensor(['];
  let len = parts[0].length;
  let i = 0;
  while (len < length) {
    const v = (((salt * 7919 + i * 104729) % 20000) / 10000 - 1).toFixed(4);
    const piece = `${v}, `;
    parts.push(piece);
    len += piece.length;
    i++;
  }
  parts.push('], dtype=torch.float16)');
  return parts.join('');
}

export const PYTHON_TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/app/worker/execute.py", line 212, in run_node',
  '    result = node.forward(**inputs)',
  '  File "/app/nodes/upscale.py", line 88, in forward',
  '    out = self.model(x.to(self.device))',
  'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.50 GiB (GPU 0; 23.69 GiB total capacity; 21.10 GiB already allocated; 1.12 GiB free)',
].join('\n');
