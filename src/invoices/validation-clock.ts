/**
 * The clocks of validation levels, pure. A validator has N calendar days (15 by default, chorus-pro.md §2.7)
 * from the instant the level opens; the deadline is the same Paris wall-clock time N days later (so a change
 * of daylight-saving time neither adds nor removes an hour). Silence at that instant is a tacit validation.
 */
const parisParts = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Minutes between Paris wall-clock time and UTC at this instant (60 in winter, 120 in summer). */
export function parisOffsetMinutes(d: Date): number {
  const p = Object.fromEntries(parisParts.formatToParts(d).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

/** The instant `days` calendar days later in Europe/Paris, at the same wall-clock time. */
export function addParisCalendarDays(d: Date, days: number): Date {
  const naive = new Date(d.getTime() + days * 86_400_000);
  return new Date(naive.getTime() - (parisOffsetMinutes(naive) - parisOffsetMinutes(d)) * 60_000);
}

/** The deadline of a level opened at `openedAt`. */
export const validationDeadline = (openedAt: Date, days: number) => addParisCalendarDays(openedAt, days);

/** The reminder instants (days before the deadline), those still in the future only, earliest first. */
export function reminderInstants(openedAt: Date, dueAt: Date, daysBefore: number[]): Date[] {
  return [...new Set(daysBefore)]
    .filter((n) => n > 0)
    .map((n) => addParisCalendarDays(dueAt, -n))
    .filter((t) => t.getTime() > openedAt.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
}

/** Whole days left before the deadline, counted up (0 once it has passed). */
export const daysLeft = (now: Date, dueAt: Date) => Math.max(0, Math.ceil((dueAt.getTime() - now.getTime()) / 86_400_000));

export const parseReminderDays = (s: string) => (s ? s.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0) : []);
