import type { EventLog } from '../execution/step-functions';

/**
 * One line per state as it finishes (succeeded, or failed and caught) and per retry, with the
 * time the state took. A failure that nothing catches ends the execution, which its caller reports.
 */
export function progressPrinter(write: (line: string) => void = (line) => console.log(line)): (event: EventLog) => void {
  const entered = new Map<string, number>();
  const caught = new Set<string>();
  const elapsed = (name: string, timestamp: number) => `${String(timestamp - (entered.get(name) ?? timestamp)).padStart(5)} ms`;
  return (event) => {
    switch (event.type) {
      case 'StateEntered':
        entered.set(event.state.name, event.timestamp);
        break;
      case 'StateExited':
        if (caught.delete(event.state.name)) break;
        write(`  ✔ ${event.state.name} (${elapsed(event.state.name, event.timestamp)})`);
        break;
      case 'StateCaught':
        caught.add(event.state.name);
        write(`  ↪ ${event.state.name} (${elapsed(event.state.name, event.timestamp)}): caught ${event.catch.catcher.ErrorEquals.join(', ')}, next: ${event.catch.catcher.Next}`);
        break;
      case 'StateRetried':
        write(`  ↻ ${event.state.name}: retry ${event.retry.attempt} of ${event.retry.retrier.MaxAttempts ?? 3} (${event.retry.retrier.ErrorEquals.join(', ')})`);
        break;
      default:
        break;
    }
  };
}
