import * as vscode from 'vscode';
import type { ApiActivity, CallerActivity } from '@jan/core';
import type { ThreadConsent } from './thread-consent';

/**
 * Jan: Show Extensions: every other extension and program that used Jan's public API in this
 * session, with what it registered and used; picking one changes its access to the threads.
 */
export function registerShowExtensions(activity: ApiActivity, consent: ThreadConsent): vscode.Disposable {
  return vscode.commands.registerCommand('jan.showExtensions', async () => {
    const others = activity.all().filter((entry) => entry.caller.kind !== 'builtin');
    if (others.length === 0) {
      void vscode.window.showInformationMessage('Jan: no other extension has used Jan in this session.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      others.map((entry) => ({
        label: entry.caller.displayName,
        description: access(entry, consent),
        detail: summary(entry),
        entry,
      })),
      {
        title: 'Extensions using Jan',
        placeHolder: 'Pick one to change its access to your threads',
        matchOnDetail: true,
      },
    );
    if (!picked || picked.entry.caller.kind !== 'extension') return;
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Allow reading and writing threads', value: true as boolean | undefined },
        { label: "Don't allow reading threads", value: false as boolean | undefined },
        { label: 'Ask again next time', value: undefined },
      ],
      { title: `${picked.entry.caller.displayName}: access to your Jan threads` },
    );
    if (choice) await consent.remember(picked.entry.caller.id, choice.value);
  });
}

function access(entry: CallerActivity, consent: ThreadConsent): string {
  if (entry.caller.kind !== 'extension') return `${entry.caller.id} · a program`;
  const answer = consent.answer(entry.caller.id);
  const threads = answer === undefined ? 'threads: not asked yet' : answer ? 'threads: allowed' : 'threads: declined';
  return `${entry.caller.id} · ${threads}`;
}

/** "Registered engine Demo Engine, context source Tickets · used chat 3×, threads.read 1×". */
export function summary(entry: CallerActivity): string {
  const registered = entry.registrations.map((item) => `${item.kind} ${item.label}`).join(', ');
  const used = Object.entries(entry.uses)
    .map(([use, times]) => `${use} ${times}×`)
    .join(', ');
  return (
    [registered && `Registered ${registered}`, used && `used ${used}`].filter(Boolean).join(' · ') || 'Nothing yet'
  );
}
