import type { ConnectionStatus } from './connection.ts';
import { $ } from './byId.ts';
import type { FrameStats, PingStats } from './frameStats.ts';

/** How long a toast stays on screen, ms. */
const TOAST_MS = 6000;

/** The heads-up display: connection banner, toasts, and the ping / frame / tick line. */
export class Hud {
  private toastTimer: ReturnType<typeof setTimeout> | undefined;

  /** Show a connection status change in the banner; `stillConnected` tells whether to hide the "Reconnected." note later. */
  status(s: ConnectionStatus, detail: string | undefined, stillConnected: () => boolean): void {
    const banner = $('banner');
    document.body.dataset.status = s;
    if (s === 'connected') {
      banner.className = 'ok';
      banner.textContent = detail === 'reconnected' ? 'Reconnected.' : '';
      banner.hidden = detail !== 'reconnected';
      if (detail === 'reconnected') {
        setTimeout(() => {
          if (stillConnected()) banner.hidden = true;
        }, 2500);
      }
    } else if (s === 'reconnecting' || s === 'disconnected') {
      banner.className = '';
      banner.hidden = false;
      banner.textContent = s === 'reconnecting' ? `Connection lost: ${detail ?? ''} The game will resume when the server answers.` : `Not connected: ${detail ?? 'left the room'}. Press Join to play again.`;
    } else if (s === 'connecting') {
      banner.className = 'ok';
      banner.hidden = false;
      banner.textContent = 'Connecting…';
    }
  }

  /** The ping, frame-time and tick figures. */
  stats(ping: PingStats, frames: FrameStats, tick: number): void {
    $('ping').textContent = ping.rttMs === undefined ? '–' : ping.rttMs.toFixed(0);
    $('frame').textContent = `${frames.meanMs.toFixed(1)} (worst ${frames.worstMs.toFixed(0)})`;
    $('tick').textContent = String(tick);
  }

  /** A short message at the bottom of the screen, gone after a few seconds. */
  toast(message: string): void {
    const el = $('toast');
    el.textContent = message;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (el.textContent = ''), TOAST_MS);
  }
}
