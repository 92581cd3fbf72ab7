import type { DicomStudy, NamedBytes } from '../core/dicom/index.ts';
import type { DicomEvent, DicomRequest } from './dicomProtocol.ts';

/**
 * Main-thread handle on the DICOM worker (dicom.worker.ts), started on the first drop of a
 * DICOM study and kept for the next. One promise per conversion.
 */
export class DicomWorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, { resolve: (s: DicomStudy) => void; reject: (e: Error) => void }>();

  convert(files: NamedBytes[]): Promise<DicomStudy> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: DicomRequest = { type: 'convert', id, files };
      worker.postMessage(request);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./dicom.worker.ts', import.meta.url), { type: 'module', name: 'attune-dicom' });
    worker.addEventListener('message', (ev: MessageEvent<DicomEvent>) => {
      const p = this.pending.get(ev.data.id);
      if (!p) return;
      this.pending.delete(ev.data.id);
      if (ev.data.type === 'converted') p.resolve(ev.data.study);
      else p.reject(new Error(ev.data.message));
    });
    // A crash (e.g. out of memory on a huge study): fail what is pending, start afresh next time.
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      this.fail(new Error(`the DICOM converter stopped: ${e.message || 'the worker crashed'}`));
    });
    this.worker = worker;
    return worker;
  }

  private fail(error: Error) {
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
