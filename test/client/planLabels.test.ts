import { describe, expect, it } from 'vitest';
import { overlaps, placeLabels } from '../../client/planLabels.ts';
import type { LabelRequest } from '../../client/planLabels.ts';
import { planLine, planOverlay, readPlans } from '../../client/plans.ts';
import { Rng } from '../../shared/index.ts';

/** Text width as a canvas would roughly measure it: 6 px a character (7 for titles). */
const measure = (text: string, title: boolean) => text.length * (title ? 7 : 6);

describe('placing plan labels in a fight', () => {
  it('leaves no two labels overlapping when twelve members crowd one spot, titles first, moved ones marked', () => {
    const rng = Rng.create('crowd');
    const labels: LabelRequest[] = [
      { text: "Grak's bandits: surround · local tactician", colour: '#4cc9f0', title: true, anchor: { x: 400, y: 280 } },
      { text: "Sssith's lizardfolk: pincer · OpenAI", colour: '#ff9f1c', title: true, anchor: { x: 410, y: 285 } },
    ];
    for (let i = 0; i < 12; i++) labels.push({ text: i % 2 ? 'flank left' : 'engage', colour: '#4cc9f0', title: false, anchor: { x: 400 + rng.float(-20, 20), y: 300 + rng.float(-15, 15) } });
    const placed = placeLabels(labels, measure);
    expect(placed.length).toBeGreaterThanOrEqual(12);
    for (let i = 0; i < placed.length; i++) for (let j = i + 1; j < placed.length; j++) expect(overlaps(placed[i]!.box, placed[j]!.box), `${placed[i]!.text} / ${placed[j]!.text}`).toBe(false);
    expect(placed.slice(0, 2).every((l) => l.title)).toBe(true);
    expect(placed[0]!.moved).toBe(false);
    expect(placed.some((l) => l.moved)).toBe(true);
    // Every label stays near where it belongs.
    for (const l of placed) expect(Math.hypot(l.x - l.anchor.x, l.y - l.anchor.y)).toBeLessThan(200);
  });

  it('keeps a label on its anchor when nothing is in the way, and avoids boxes it is told to', () => {
    const one: LabelRequest = { text: 'engage', colour: '#fff', title: false, anchor: { x: 100, y: 100 } };
    expect(placeLabels([one], measure)[0]).toMatchObject({ x: 100, y: 100, moved: false });
    const avoided = placeLabels([one], measure, [{ x: 60, y: 80, w: 80, h: 30 }])[0]!;
    expect(avoided.moved).toBe(true);
    expect(overlaps(avoided.box, { x: 60, y: 80, w: 80, h: 30 })).toBe(false);
  });
});

describe('plans in plain words', () => {
  const plans = readPlans({
    plans: new Map([['pack:-1:0:0', {
      pack: 'pack:-1:0:0', leader: 5, formation: 'surround', source: 'tactician', model: 'tactician', note: 'gateway answered locally (budget exceeded: room cost hard limit ($0.05)): tactician plan stands',
      packName: "Grak's bandits", sourceText: "Local tactician — the cloud was not asked: this room's LLM budget is spent",
      assignments: [{ member: 5, role: 'engage', target: 9, hasPoint: false, x: 0, y: 0 }, { member: 6, role: 'flankLeft', target: 9, hasPoint: false, x: 0, y: 0 }],
    }]]),
  });
  const names: Record<number, string> = { 5: 'Grak', 6: 'Brenna', 9: 'Ada' };

  it('lists a plan with the pack\'s name, the source in words and members by name: no pack ids', () => {
    const line = planLine(plans[0]!, (id) => names[id]);
    expect(line).toBe("Grak's bandits: surround — Local tactician — the cloud was not asked: this room's LLM budget is spent · Grak engage Ada, Brenna flank left Ada");
    expect(line).not.toMatch(/pack:|#\d/);
  });

  it('titles the overlay with the pack\'s name and the source in short words', () => {
    const o = planOverlay(plans, (id) => ({ x: id, y: 0 }));
    expect(o.labels.find((l) => l.title)!.text).toBe("Grak's bandits: surround · local tactician");
    expect(o.labels.filter((l) => !l.title).map((l) => l.text)).toEqual(['engage', 'flank left']);
  });
});
