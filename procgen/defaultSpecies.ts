import type { SpeciesTableInput } from './speciesTable.ts';

/**
 * The built-in species table (data, validated on load by `parseSpeciesTable` like any user table).
 * Densities are packs per 1,000 walkable tiles; speeds in tiles per second; sight in tiles.
 */
export const DEFAULT_SPECIES: SpeciesTableInput = {
  species: {
    wolf: {
      label: 'Wolf',
      stats: { hp: [30, 45], attack: [6, 10], defense: [1, 3], speed: [4.5, 6], sight: [10, 14] },
      packSize: [3, 6],
      names: { start: ['Gr', 'Fen', 'Sk', 'Vol', 'Har'], middle: ['a', 'o', 'u'], end: ['ak', 'rin', 'ulf', 'esh', 'ov'], middleCount: [0, 1], titles: ['Grey', 'Swift', 'Howler'], titleChance: 0.15 },
      loot: [{ item: 'wolf pelt', chance: 0.7, count: [1, 1] }, { item: 'fang', chance: 0.3, count: [1, 2] }],
    },
    boar: {
      label: 'Boar',
      stats: { hp: [40, 60], attack: [5, 9], defense: [3, 5], speed: [3.5, 4.5], sight: [6, 9] },
      packSize: [2, 4],
      names: { start: ['Bru', 'Tus', 'Gor', 'Snu'], middle: ['m', 'b'], end: ['k', 'gle', 'ff', 'ble'], middleCount: [0, 1] },
      loot: [{ item: 'boar meat', chance: 0.9, count: [1, 3] }, { item: 'tusk', chance: 0.4, count: [1, 2] }],
    },
    goblin: {
      label: 'Goblin',
      stats: { hp: [18, 28], attack: [4, 7], defense: [1, 2], speed: [3.5, 4.5], sight: [9, 12] },
      packSize: [3, 7],
      names: { start: ['Sn', 'Gr', 'Zik', 'Nub', 'Kr'], middle: ['i', 'a', 'ob', 'ur'], end: ['ik', 'az', 'nit', 'gob', 'ub'], middleCount: [0, 2], titles: ['Sneaky', 'Stabber', 'Loud'], titleChance: 0.25 },
      loot: [{ item: 'copper coin', chance: 0.8, count: [1, 12] }, { item: 'rusty dagger', chance: 0.2, count: [1, 1] }],
    },
    bandit: {
      label: 'Bandit',
      stats: { hp: [35, 50], attack: [7, 11], defense: [2, 4], speed: [3.8, 4.6], sight: [11, 14] },
      packSize: [2, 5],
      names: { start: ['Al', 'Bren', 'Cor', 'Dav', 'Ed', 'Mar'], middle: ['a', 'e', 'i'], end: ['ric', 'wyn', 'do', 'na', 'ton'], middleCount: [0, 1], titles: ['One-Eye', 'Red', 'Quick'], titleChance: 0.3 },
      loot: [{ item: 'silver coin', chance: 0.6, count: [1, 6] }, { item: 'short sword', chance: 0.15, count: [1, 1] }],
    },
    lizardfolk: {
      label: 'Lizardfolk',
      stats: { hp: [30, 42], attack: [6, 9], defense: [3, 5], speed: [3, 4], sight: [8, 11] },
      packSize: [2, 5],
      names: { start: ['Ss', 'Ks', 'Thr', 'Zs'], middle: ['a', 'i', 'ss'], end: ['ith', 'ask', 'ess', 'ra'], middleCount: [1, 2] },
      loot: [{ item: 'scale', chance: 0.6, count: [1, 4] }, { item: 'bone spear', chance: 0.2, count: [1, 1] }],
    },
    scorpion: {
      label: 'Giant scorpion',
      stats: { hp: [25, 35], attack: [8, 12], defense: [4, 6], speed: [3, 4.2], sight: [5, 8] },
      packSize: [1, 3],
      names: { start: ['Ska', 'Ve', 'Kh'], middle: ['r', 'z'], end: ['ix', 'ath', 'el'], middleCount: [0, 1] },
      loot: [{ item: 'venom sac', chance: 0.5, count: [1, 1] }, { item: 'chitin', chance: 0.6, count: [1, 3] }],
    },
    troll: {
      label: 'Hill troll',
      stats: { hp: [90, 130], attack: [12, 18], defense: [5, 8], speed: [2.8, 3.6], sight: [7, 10] },
      packSize: [1, 2],
      names: { start: ['Ug', 'Mor', 'Thrum', 'Bol'], middle: ['ga', 'lo', 'ru'], end: ['g', 'mok', 'dur', 'gash'], middleCount: [0, 1], titles: ['Bonecruncher', 'Old', 'Mossback'], titleChance: 0.4 },
      loot: [{ item: 'troll hide', chance: 0.8, count: [1, 1] }, { item: 'gold coin', chance: 0.4, count: [1, 8] }],
    },
    yeti: {
      label: 'Yeti',
      stats: { hp: [70, 100], attack: [10, 15], defense: [4, 7], speed: [3.5, 4.5], sight: [9, 12] },
      packSize: [1, 3],
      names: { start: ['Yu', 'Ska', 'Fro', 'Hri'], middle: ['m', 'n', 'l'], end: ['ek', 'ir', 'ost', 'ja'], middleCount: [0, 1] },
      loot: [{ item: 'white fur', chance: 0.8, count: [1, 2] }],
    },
    crab: {
      label: 'Shore crab',
      stats: { hp: [15, 22], attack: [3, 5], defense: [5, 7], speed: [2.5, 3.5], sight: [4, 6] },
      packSize: [2, 5],
      names: { start: ['Kl', 'Pin', 'Sn'], middle: ['a', 'i'], end: ['ak', 'ch', 'ip'], middleCount: [0, 1] },
      loot: [{ item: 'crab shell', chance: 0.7, count: [1, 1] }],
    },
    spider: {
      label: 'Cave spider',
      stats: { hp: [20, 30], attack: [5, 8], defense: [2, 3], speed: [4, 5.5], sight: [6, 9] },
      packSize: [3, 8],
      names: { start: ['Ar', 'Shel', 'Ny', 'Ix'], middle: ['a', 'ach', 'e'], end: ['ne', 'ob', 'ith', 'ra'], middleCount: [1, 2], titles: ['Weaver', 'Broodmother'], titleChance: 0.1 },
      loot: [{ item: 'silk', chance: 0.7, count: [1, 3] }, { item: 'venom sac', chance: 0.2, count: [1, 1] }],
    },
    skeleton: {
      label: 'Skeleton',
      stats: { hp: [25, 35], attack: [6, 9], defense: [3, 5], speed: [3, 3.8], sight: [8, 12] },
      packSize: [3, 6],
      names: { start: ['Mor', 'Kal', 'Vex', 'Ost'], middle: ['a', 'e', 'u'], end: ['tis', 'dran', 'eus', 'ar'], middleCount: [0, 1], titles: ['the Hollow', 'Forsworn'], titleChance: 0.2 },
      loot: [{ item: 'bone', chance: 0.9, count: [1, 3] }, { item: 'old coin', chance: 0.4, count: [1, 5] }],
    },
  },
  biomes: {
    shallowWater: { density: 0.1, spawns: [{ species: 'crab', weight: 1 }] },
    beach: { density: 0.6, spawns: [{ species: 'crab', weight: 3 }, { species: 'bandit', weight: 1 }] },
    grassland: { density: 0.5, spawns: [{ species: 'wolf', weight: 2 }, { species: 'boar', weight: 3 }, { species: 'bandit', weight: 1 }] },
    forest: { density: 0.7, spawns: [{ species: 'wolf', weight: 3 }, { species: 'boar', weight: 2 }, { species: 'goblin', weight: 2 }] },
    swamp: { density: 0.6, spawns: [{ species: 'lizardfolk', weight: 3 }, { species: 'spider', weight: 1 }] },
    desert: { density: 0.3, spawns: [{ species: 'scorpion', weight: 3 }, { species: 'bandit', weight: 1 }] },
    hills: { density: 0.5, spawns: [{ species: 'goblin', weight: 2 }, { species: 'troll', weight: 1 }, { species: 'wolf', weight: 1 }] },
    snow: { density: 0.3, spawns: [{ species: 'yeti', weight: 2 }, { species: 'wolf', weight: 1 }] },
  },
  lairs: {
    cave: [{ species: 'troll', weight: 1 }, { species: 'spider', weight: 2 }, { species: 'goblin', weight: 2 }],
    ruin: [{ species: 'skeleton', weight: 2 }, { species: 'bandit', weight: 1 }, { species: 'goblin', weight: 1 }],
  },
};
