import { useRef, useState, type DragEvent } from 'react';
import { makeSyntheticCase } from '../../core/index.ts';
import { DEMO_CASE, OTHER_SCANNER } from '../demoCase.ts';
import { collectDrop, intakeFromFileList, type Intake } from '../fileIntake.ts';
import { useAttune } from '../store.ts';

/** Accepts a case as files or a folder, by drag and drop or by picker; drops start a new case. */
export function DropZone() {
  const loadFiles = useAttune((s) => s.loadFiles);
  const loadDicom = useAttune((s) => s.loadDicom);
  const dismissDicom = useAttune((s) => s.dismissDicom);
  const reading = useAttune((s) => s.reading);
  const loadDemoCase = useAttune((s) => s.loadDemoCase);
  const preparing = useAttune((s) => s.preparing);
  const engineReady = useAttune((s) => s.engine.status === 'ready');
  const [over, setOver] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const addInput = useRef<HTMLInputElement>(null);

  /** A drop with DICOM files is a scanner study: converted first (dicomSlice), then the table. */
  const take = ({ inputs, skipped, dicom, notDicom }: Intake, append = false) => {
    if (dicom.length > 0) return loadDicom(dicom, { notDicom, inputs });
    if (!append) dismissDicom();
    return loadFiles(inputs, { append, skipped });
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    const read = collectDrop(event.dataTransfer);
    void read().then((intake) => take(intake));
  };

  const fromPicker = (append: boolean) => async (event: React.ChangeEvent<HTMLInputElement>) => {
    const list = event.target.files;
    if (!list || list.length === 0) return;
    const intake = await intakeFromFileList(list);
    event.target.value = ''; // picking the same file again must fire change again
    await take(intake, append);
  };

  return (
    <div
      className={`drop-zone${over ? ' drop-zone--over' : ''}`}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="drop-zone__title">Drop a case here</p>
      <p className="drop-zone__hint">
        T1, T1Gd, T2 and FLAIR as <code>.nii</code> / <code>.nii.gz</code> (plus an optional label map), or the
        folder that holds them, or a scanner’s DICOM folder (converted here). Files stay on this computer.
      </p>
      <div className="drop-zone__buttons">
        <button type="button" onClick={() => filesInput.current?.click()}>Choose files…</button>
        <button type="button" onClick={() => folderInput.current?.click()}>Choose folder…</button>
        <button type="button" onClick={() => addInput.current?.click()} title="Add files to the current case">
          Add files…
        </button>
        <button
          type="button"
          data-testid="demo-case"
          onClick={() => void loadFiles(Object.values(makeSyntheticCase().files))}
          title="A small synthetic phantom with a three-part tumour and its label map"
        >
          Synthetic demo case
        </button>
      </div>
      <div className="drop-zone__demo">
        <div className="drop-zone__buttons">
          <button type="button" className="primary" data-testid="brats-demo" disabled={reading} onClick={() => void loadDemoCase()} title={DEMO_CASE.description}>
            Try a real scan: BraTS 2021 case 00324
          </button>
          <button type="button" data-testid="brats-demo-shifted" disabled={reading || !engineReady} onClick={() => void loadDemoCase('other-scanner')} title={OTHER_SCANNER.description}>
            …as if from another scanner
          </button>
        </div>
        <p className="muted">
          From another hospital than the training scans, with its expert label (citation below). The second button passes it
          through Attune’s scanner simulator ({OTHER_SCANNER.description}).
        </p>
      </div>
      {reading && <p className="drop-zone__status" role="status">{preparing ?? 'Reading files…'}</p>}
      <input ref={filesInput} type="file" multiple hidden data-testid="file-input" onChange={fromPicker(false)} />
      <input ref={addInput} type="file" multiple hidden onChange={fromPicker(true)} />
      <input
        ref={folderInput}
        type="file"
        hidden
        data-testid="folder-input"
        // Non-standard but supported by every current browser: pick a whole folder.
        {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
        onChange={fromPicker(false)}
      />
    </div>
  );
}
