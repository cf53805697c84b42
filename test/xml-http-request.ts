/**
 * Just enough XMLHttpRequest over node:http for browser clients under test (dicomweb-client calls open,
 * setRequestHeader, responseType, send and waits for readyState 4): the real client then speaks real HTTP
 * to a listening server, so its URLs, query strings and Accept headers are what a browser would send.
 */
import http from 'node:http';

export class NodeXMLHttpRequest {
  readyState = 0;
  status = 0;
  responseType: '' | 'json' | 'arraybuffer' | 'text' = '';
  response: unknown = null;
  withCredentials = false;
  onreadystatechange: (() => void) | null = null;
  onloadstart: (() => void) | null = null;
  onloadend: (() => void) | null = null;
  onprogress: (() => void) | null = null;
  private method = 'GET';
  private url = '';
  private headers: Record<string, string> = {};
  private responseHeaders: http.IncomingHttpHeaders = {};

  open(method: string, url: string): void {
    [this.method, this.url, this.readyState] = [method, url, 1];
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  getResponseHeader(name: string): string | null {
    const value = this.responseHeaders[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  getAllResponseHeaders(): string {
    return Object.entries(this.responseHeaders).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}\r\n`).join('');
  }

  send(body?: string | Uint8Array): void {
    const req = http.request(this.url, { method: this.method, headers: this.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        this.status = res.statusCode ?? 0;
        this.responseHeaders = res.headers;
        if (this.responseType === 'arraybuffer') this.response = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        else if (this.responseType === 'json') this.response = bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : null;
        else this.response = bytes.toString('utf8');
        this.readyState = 4;
        this.onreadystatechange?.();
      });
    });
    req.on('error', () => {
      this.readyState = 4;
      this.onreadystatechange?.();
    });
    req.end(body);
  }
}
