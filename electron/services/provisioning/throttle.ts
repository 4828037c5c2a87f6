import type { ProgressEvent } from '../../../shared/contract/provisioning';

/**
 * Keeps progress events to at most one per `gapMs` per device: a stage change goes out at once; within a
 * stage, the newest event waits for the gap and replaces older waiting ones (so the last line is never lost).
 * `progress: -1` means "unchanged" and is replaced by the device's last known progress.
 */
export function createProgressThrottle(emit: (e: ProgressEvent) => void, gapMs: number) {
  interface Slot {
    lastAt: number;
    lastStage?: string;
    progress: number;
    pending?: ProgressEvent;
    timer?: ReturnType<typeof setTimeout>;
  }
  const slots = new Map<string, Slot>();
  const id = (e: { runId: string; device: string }) => `${e.runId}\u0000${e.device}`;

  const send = (slot: Slot, e: ProgressEvent) => {
    slot.lastAt = Date.now();
    slot.lastStage = e.stage;
    emit(e);
  };

  function push(raw: ProgressEvent): void {
    const k = id(raw);
    let slot = slots.get(k);
    if (!slot) slots.set(k, (slot = { lastAt: 0, progress: 0 }));
    if (raw.progress >= 0) slot.progress = raw.progress;
    const e = { ...raw, progress: slot.progress };
    const now = Date.now();
    if (e.stage !== slot.lastStage || now - slot.lastAt >= gapMs) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = undefined;
      slot.pending = undefined;
      send(slot, e);
      return;
    }
    slot.pending = e;
    if (!slot.timer) {
      const s = slot;
      s.timer = setTimeout(
        () => {
          s.timer = undefined;
          if (s.pending) send(s, s.pending);
          s.pending = undefined;
        },
        gapMs - (now - s.lastAt),
      );
    }
  }

  /** The device is done: drop anything waiting and send the final event. */
  function finish(device: string, runId: string, e: ProgressEvent): void {
    const k = id({ runId, device });
    const slot = slots.get(k);
    if (slot?.timer) clearTimeout(slot.timer);
    slots.delete(k);
    emit(e.progress < 0 ? { ...e, progress: slot?.progress ?? 0 } : e);
  }

  function flushAll(): void {
    for (const s of slots.values()) {
      if (s.timer) clearTimeout(s.timer);
      if (s.pending) emit(s.pending);
    }
    slots.clear();
  }

  return { push, finish, flushAll };
}
