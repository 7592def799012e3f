/**
 * File storage stand-in. fileID = `cloud://<envId>.<bucket>/<path>`; files are served at `GET /storage/<path>`.
 * Upload like COS: `storage.getUploadMetadata {path}` → `{url, token, authorization, fileId, cosFileId}`,
 * then `PUT url` with the bytes (empty body reply). Memory, or `<dataDir>/storage/` on disk.
 */
import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

export interface StoredFile {
  data: Buffer;
  contentType: string;
}

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
};

export function guessType(p: string): string {
  return MIME[path.extname(p).toLowerCase()] || 'application/octet-stream';
}

export function normalizeCloudPath(p: string): string {
  const clean = p.replace(/\\/g, '/').replace(/^\/+/, '');
  if (!clean || clean.split('/').some((s) => s === '..' || s === '.' || s === '')) throw new Error(`invalid cloud path: ${p}`);
  return clean;
}

export class Storage {
  private mem = new Map<string, StoredFile>();
  /** upload tokens → cloud path */
  private uploads = new Map<string, string>();
  readonly bucket: string;

  constructor(private opts: { dir: string | null; envId: string; baseUrl: () => string }) {
    this.bucket = 'local-bucket';
  }

  fileId(p: string): string {
    return `cloud://${this.opts.envId}.${this.bucket}/${p}`;
  }

  /** cloud://env.bucket/path → path (or null) */
  pathOf(fileId: string): string | null {
    const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId);
    if (!m) return null;
    try {
      return normalizeCloudPath(m[1]);
    } catch {
      return null;
    }
  }

  url(p: string): string {
    return `${this.opts.baseUrl()}/storage/${p.split('/').map(encodeURIComponent).join('/')}`;
  }

  private diskPath(p: string): string {
    return path.join(this.opts.dir!, 'files', p);
  }

  put(cloudPath: string, data: Buffer, contentType?: string): string {
    const p = normalizeCloudPath(cloudPath);
    const type = contentType || guessType(p);
    if (this.opts.dir) {
      const f = this.diskPath(p);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, data);
      fs.writeFileSync(`${f}.__meta.json`, JSON.stringify({ contentType: type }));
    } else {
      this.mem.set(p, { data: Buffer.from(data), contentType: type });
    }
    return this.fileId(p);
  }

  get(cloudPath: string): StoredFile | null {
    let p: string;
    try {
      p = normalizeCloudPath(cloudPath);
    } catch {
      return null;
    }
    if (p.endsWith('.__meta.json')) return null;
    if (this.opts.dir) {
      const f = this.diskPath(p);
      if (!fs.existsSync(f) || !fs.statSync(f).isFile()) return null;
      let contentType = guessType(p);
      try {
        contentType = JSON.parse(fs.readFileSync(`${f}.__meta.json`, 'utf8')).contentType || contentType;
      } catch {
        /* no meta */
      }
      return { data: fs.readFileSync(f), contentType };
    }
    return this.mem.get(p) || null;
  }

  remove(cloudPath: string): boolean {
    const p = normalizeCloudPath(cloudPath);
    if (this.opts.dir) {
      const f = this.diskPath(p);
      if (!fs.existsSync(f)) return false;
      fs.rmSync(f);
      fs.rmSync(`${f}.__meta.json`, { force: true });
      return true;
    }
    return this.mem.delete(p);
  }

  // ---- wire actions ----

  getUploadMetadata(params: { path?: string }): { code: string; message: string } | { data: Record<string, string> } {
    let p: string;
    try {
      p = normalizeCloudPath(String(params.path || ''));
    } catch (e) {
      return { code: 'INVALID_PARAM', message: (e as Error).message };
    }
    const token = randomBytes(12).toString('hex');
    this.uploads.set(token, p);
    return {
      data: {
        url: `${this.url(p)}?upload_token=${token}`,
        token,
        authorization: `q-sign-algorithm=sha1&localcloud=${token}`,
        fileId: this.fileId(p),
        cosFileId: `cos-${token}`,
      },
    };
  }

  /** PUT /storage/<path>?upload_token=… ; returns an error message or null */
  acceptUpload(p: string, token: string | null, data: Buffer, contentType: string | undefined): string | null {
    if (!token || this.uploads.get(token) !== p) return 'AccessDenied';
    this.uploads.delete(token);
    this.put(p, data, contentType && contentType !== 'application/octet-stream' ? contentType : undefined);
    return null;
  }

  batchGetDownloadUrl(params: { file_list?: { fileid: string; max_age?: number }[] }) {
    const list = Array.isArray(params.file_list) ? params.file_list : [];
    return {
      data: {
        download_list: list.map((f) => {
          const p = this.pathOf(String(f.fileid));
          const exists = p !== null && this.get(p) !== null;
          return exists
            ? { fileid: f.fileid, fileID: f.fileid, download_url: this.url(p!), tempFileURL: this.url(p!), code: 'SUCCESS', maxAge: f.max_age ?? 86400 }
            : { fileid: f.fileid, fileID: f.fileid, download_url: '', tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'file not exist' };
        }),
      },
    };
  }

  batchDeleteFile(params: { fileid_list?: string[] }) {
    const list = Array.isArray(params.fileid_list) ? params.fileid_list : [];
    return {
      data: {
        delete_list: list.map((id) => {
          const p = this.pathOf(String(id));
          const ok = p !== null && this.remove(p);
          return { fileID: id, code: ok ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST' };
        }),
      },
    };
  }
}
