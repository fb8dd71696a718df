import { strict as assert } from 'node:assert';
import { classifyMediaUrl, collectMediaUrls, isAllowedOrigin } from '../../../src/webview/mediaUrls';

describe('media URLs in outputs', () => {
  it('classifies http(s) URLs by the extension of their path', () => {
    assert.equal(classifyMediaUrl('https://cdn.example.com/a/b.PNG'), 'image');
    assert.equal(classifyMediaUrl('https://cdn.example.com/a.jpeg?sig=1#x'), 'image');
    assert.equal(classifyMediaUrl('http://127.0.0.1:4010/files/x.webp'), 'image');
    assert.equal(classifyMediaUrl('https://x.io/v.webm'), 'video');
    assert.equal(classifyMediaUrl('https://x.io/v.mp4'), 'video');
    assert.equal(classifyMediaUrl('https://x.io/s.ogg'), 'audio');
    assert.equal(classifyMediaUrl('https://x.io/s.wav'), 'audio');
  });

  it('refuses SVG, data:, javascript:, file:, credentials and non-media', () => {
    assert.equal(classifyMediaUrl('https://x.io/evil.svg'), undefined);
    assert.equal(classifyMediaUrl('data:image/png;base64,AAAA'), undefined);
    assert.equal(classifyMediaUrl('javascript:alert(1)//x.png'), undefined);
    assert.equal(classifyMediaUrl('file:///etc/x.png'), undefined);
    assert.equal(classifyMediaUrl('https://user:pw@x.io/a.png'), undefined);
    assert.equal(classifyMediaUrl('https://x.io/page.html'), undefined);
    assert.equal(classifyMediaUrl('https://x.io/a.png/'), undefined);
    assert.equal(classifyMediaUrl('see https://x.io/a.png'), undefined);
  });

  it('allows only listed origins, compared as origins', () => {
    const allowed = ['https://api.runflow.io', 'http://127.0.0.1:4010'];
    assert.equal(isAllowedOrigin('https://API.runflow.io:443/f/a.png', allowed), true);
    assert.equal(isAllowedOrigin('http://127.0.0.1:4010/f/a.png', allowed), true);
    assert.equal(isAllowedOrigin('http://127.0.0.1:4011/f/a.png', allowed), false);
    assert.equal(isAllowedOrigin('https://api.runflow.io.evil.com/a.png', allowed), false);
    assert.equal(isAllowedOrigin('http://api.runflow.io/a.png', allowed), false);
    assert.equal(isAllowedOrigin('https://x.io/a.png', ['not a url', 'javascript:alert(1)']), false);
  });

  it('collects media anywhere in the output, once each, with their paths', () => {
    const refs = collectMediaUrls({
      images: [{ url: 'https://a.io/1.png' }, { url: 'https://a.io/2.jpg' }, 'https://a.io/1.png'],
      nested: { clip: 'https://a.io/c.mp4', text: 'no media here', n: 3 },
      bad: 'javascript:alert(1)',
    });
    assert.deepEqual(refs, [
      { url: 'https://a.io/1.png', kind: 'image', path: 'images[0].url' },
      { url: 'https://a.io/2.jpg', kind: 'image', path: 'images[1].url' },
      { url: 'https://a.io/c.mp4', kind: 'video', path: 'nested.clip' },
    ]);
    assert.deepEqual(collectMediaUrls('https://a.io/x.png'), [{ url: 'https://a.io/x.png', kind: 'image', path: '' }]);
    assert.deepEqual(collectMediaUrls(null), []);
    assert.equal(collectMediaUrls(Array.from({ length: 100 }, (_, i) => `https://a.io/${i}.png`), 5).length, 5);
  });
});
