import { parseCron, nextFire, dueIn } from '../../localcloud/cron';

const utc = (s: string) => Date.parse(s);

describe('CloudBase 7-field cron (UTC+8)', () => {
  test('every 5 minutes at second 0', () => {
    const c = parseCron('0 */5 * * * * *');
    expect(nextFire(c, utc('2024-03-01T10:02:30Z'))).toBe(utc('2024-03-01T10:05:00Z'));
    // strictly after
    expect(nextFire(c, utc('2024-03-01T10:05:00Z'))).toBe(utc('2024-03-01T10:10:00Z'));
  });

  test('hours are China time: 02:00 on the 1st is 18:00 UTC the day before', () => {
    const c = parseCron('0 0 2 1 * * *');
    expect(nextFire(c, utc('2024-03-15T00:00:00Z'))).toBe(utc('2024-03-31T18:00:00Z'));
  });

  test('weekday names, lists and ranges', () => {
    const c = parseCron('30 15 9,21 * * MON-WED *');
    // 2024-03-01 is a Friday; next Monday 09:15:30 China = 01:15:30 UTC
    expect(nextFire(c, utc('2024-03-01T00:00:00Z'))).toBe(utc('2024-03-04T01:15:30Z'));
    expect(nextFire(c, utc('2024-03-04T01:15:30Z'))).toBe(utc('2024-03-04T13:15:30Z'));
    const sun = parseCron('0 0 0 * * SUN *');
    expect(new Date(nextFire(sun, utc('2024-03-01T00:00:00Z'))! + 8 * 3600e3).getUTCDay()).toBe(0);
  });

  test('numeric weekday 0 and 7 are Sunday; month names; year field', () => {
    expect([...parseCron('0 0 0 * * 7 *').weekday]).toEqual([0]);
    const c = parseCron('0 0 12 25 DEC * 2030');
    expect(nextFire(c, utc('2024-01-01T00:00:00Z'))).toBe(utc('2030-12-25T04:00:00Z'));
    expect(nextFire(parseCron('0 0 0 1 1 * 2020'), utc('2024-01-01T00:00:00Z'))).toBeNull();
  });

  test('day-of-month and weekday both restricted: either matches', () => {
    const c = parseCron('0 0 0 13 * FRI *');
    // from 2024-09-01: Friday 2024-09-06 comes before the 13th
    expect(nextFire(c, utc('2024-09-01T00:00:00Z'))).toBe(utc('2024-09-05T16:00:00Z'));
  });

  test('steps on ranges and single values', () => {
    expect([...parseCron('0-20/10 * * * * * *').sec]).toEqual([0, 10, 20]);
    expect([...parseCron('50/5 * * * * * *').sec]).toEqual([50, 55]);
  });

  test('rejects malformed expressions', () => {
    expect(() => parseCron('0 * * * * *')).toThrow(/7 fields/);
    expect(() => parseCron('60 * * * * * *')).toThrow(/range/);
    expect(() => parseCron('0 */0 * * * * *')).toThrow(/step/);
    expect(() => parseCron('0 * * * * FUNDAY *')).toThrow(/bad value/);
  });

  test('dueIn reports whether a fire time lies in (from, to]', () => {
    const c = parseCron('0 */10 * * * * *');
    const from = utc('2024-03-01T10:00:00Z');
    expect(dueIn(c, from, from + 9 * 60e3)).toBeNull();
    expect(dueIn(c, from, from + 10 * 60e3)).toBe(from + 10 * 60e3);
    expect(dueIn(c, from - 1, from)).toBe(from);
  });
});
