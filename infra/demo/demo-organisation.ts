/**
 * The demo organisation the system is seeded with: Pingyao's 16 township-level areas and units
 * (shared/reference/county-structure.ts), 193 villages and communities, Chengdong's 28 grids,
 * and the routing rules. Figures follow the seed article (193 村/社区 centres, 28 grids of ~350 households in
 * 城东街道, ~150,000 households county-wide); names come from the seed where it gives them and
 * are synthetic otherwise. Built deterministically: every number comes from a hash of an id, so
 * the same code always seeds the same directory and tests can pin it.
 */
import type { CategoryCode } from '../../shared/domain/categories.ts';
import type {
  Community,
  Grid,
  MicroGrid,
  Organisation,
  RoutingRule,
  RuleArea,
  RuleOwner,
} from '../../shared/domain/organisation.ts';
import { countyCentreUnitId, townships, units } from '../../shared/reference/county-structure.ts';

/** A name and its pinyin slug; the slug makes the id and, capitalised, the English name. */
type Name = readonly [zh: string, slug: string, en?: string];

interface TownshipPlan {
  /** 社区 (urban communities); in towns, the town seat. */
  communities: readonly Name[];
  /** How many villages in total, including `namedVillages`; the rest come from the name pool. */
  villages: number;
  /** Villages named in the seed article, and the village a township is named after. */
  namedVillages: readonly Name[];
}

/** The walled ancient city, listed as a whole by UNESCO in 1997; see the routing rules below. */
const ANCIENT_CITY_COMMUNITY_ID = 'chengxi-gucheng';

const plans: Readonly<Record<string, TownshipPlan>> = {
  chengdong: {
    communities: [
      ['康宁社区', 'kangning'],
      ['顺城社区', 'shuncheng'],
      ['南大街社区', 'nandajie'],
      ['太和社区', 'taihe'],
      ['亲翰社区', 'qinhan'],
    ],
    villages: 0,
    namedVillages: [],
  },
  chengxi: {
    communities: [
      ['古城社区', 'gucheng', 'Gucheng (Ancient City) Community'],
      ['永定社区', 'yongding'],
      ['凤仪社区', 'fengyi'],
      ['西大街社区', 'xidajie'],
      ['书院街社区', 'shuyuanjie'],
      ['新建路社区', 'xinjianlu'],
      ['柳根社区', 'liugen'],
      ['惠济社区', 'huiji'],
      ['拱极社区', 'gongji'],
      ['和平社区', 'heping'],
    ],
    villages: 0,
    namedVillages: [],
  },
  chengnan: {
    communities: [
      ['迎薰社区', 'yingxun'],
      ['南关社区', 'nanguan'],
      ['站前社区', 'zhanqian'],
      ['曙光社区', 'shuguang'],
      ['文苑社区', 'wenyuan'],
      ['朝阳社区', 'chaoyang'],
      ['杏花社区', 'xinghua'],
      ['锦园社区', 'jinyuan'],
      ['新华社区', 'xinhua'],
    ],
    villages: 0,
    namedVillages: [],
  },
  duancun: { communities: [['段村社区', 'duancun']], villages: 15, namedVillages: [] },
  dongquan: {
    communities: [['东泉社区', 'dongquan']],
    villages: 13,
    namedVillages: [
      ['魏家庄村', 'weijiazhuang'],
      ['孟山村', 'mengshan'],
      ['水磨头村', 'shuimotou'],
    ],
  },
  hongshan: { communities: [['洪善社区', 'hongshan']], villages: 14, namedVillages: [] },
  ninggu: { communities: [['宁固社区', 'ninggu']], villages: 13, namedVillages: [] },
  nanzheng: { communities: [], villages: 12, namedVillages: [['南政村', 'nanzheng']] },
  zhongdu: {
    communities: [],
    villages: 13,
    namedVillages: [
      ['中都村', 'zhongdu'],
      ['娃留村', 'waliu'],
      ['东达蒲村', 'dongdapu'],
      ['西达蒲村', 'xidapu'],
    ],
  },
  yuebi: { communities: [], villages: 12, namedVillages: [['岳壁村', 'yuebi']] },
  buyi: { communities: [], villages: 12, namedVillages: [['卜宜村', 'buyi']] },
  // No 孟山村 here: the seed's 孟山村 is in 东泉镇, and two villages of one name would confuse residents.
  mengshan: { communities: [], villages: 10, namedVillages: [] },
  zhukeng: { communities: [], villages: 11, namedVillages: [['朱坑村', 'zhukeng']] },
  xiangyuan: { communities: [], villages: 14, namedVillages: [['襄垣村', 'xiangyuan']] },
  dujiazhuang: { communities: [], villages: 13, namedVillages: [['杜家庄村', 'dujiazhuang']] },
  xiangle: { communities: [], villages: 13, namedVillages: [['香乐村', 'xiangle']] },
};

/** Chengdong's 28 grids (the seed's figure), split over its communities. */
const chengdongGrids: Readonly<Record<string, number>> = {
  'chengdong-kangning': 6,
  'chengdong-shuncheng': 6,
  'chengdong-nandajie': 6,
  'chengdong-taihe': 5,
  'chengdong-qinhan': 5,
};

// Surnames with distinct pinyin, so generated slugs never collide. Left out: 魏/卫, because the
// seed's 魏家庄村 already takes `weijiazhuang`; 杜, because 杜家庄 is a township; 石, because
// 石家庄 is the capital of Hebei.
// biome-ignore format: a compact table
const surnames: readonly (readonly [string, string])[] = [
  ['王', 'wang'], ['李', 'li'], ['张', 'zhang'], ['刘', 'liu'], ['陈', 'chen'], ['杨', 'yang'], ['赵', 'zhao'],
  ['黄', 'huang'], ['周', 'zhou'], ['吴', 'wu'], ['孙', 'sun'], ['胡', 'hu'], ['朱', 'zhu'], ['高', 'gao'],
  ['郭', 'guo'], ['马', 'ma'], ['罗', 'luo'], ['梁', 'liang'], ['宋', 'song'], ['郑', 'zheng'], ['韩', 'han'],
  ['冯', 'feng'], ['董', 'dong'], ['程', 'cheng'], ['曹', 'cao'], ['邓', 'deng'], ['傅', 'fu'], ['沈', 'shen'],
  ['彭', 'peng'], ['苏', 'su'], ['贾', 'jia'], ['丁', 'ding'], ['薛', 'xue'], ['阎', 'yan'], ['潘', 'pan'],
  ['戴', 'dai'], ['田', 'tian'], ['任', 'ren'], ['范', 'fan'], ['翟', 'zhai'], ['姚', 'yao'], ['郝', 'hao'],
  ['白', 'bai'], ['崔', 'cui'], ['康', 'kang'], ['秦', 'qin'], ['侯', 'hou'], ['孟', 'meng'], ['段', 'duan'],
  ['雷', 'lei'], ['乔', 'qiao'], ['常', 'chang'], ['霍', 'huo'], ['岳', 'yue'], ['温', 'wen'], ['耿', 'geng'],
  ['牛', 'niu'], ['冀', 'ji'], ['靳', 'jin'], ['安', 'an'], ['左', 'zuo'], ['毛', 'mao'], ['尚', 'shang'],
  ['齐', 'qi'],
];
// biome-ignore format: a compact table
const directions: readonly (readonly [string, string])[] = [
  ['东', 'dong'], ['西', 'xi'], ['南', 'nan'], ['北', 'bei'],
];
// biome-ignore format: a compact table
const features: readonly (readonly [string, string])[] = [
  ['营', 'ying'], ['庄', 'zhuang'], ['堡', 'bao'], ['坡', 'po'], ['河', 'he'],
  ['沟', 'gou'], ['头', 'tou'], ['寨', 'zhai'], ['峪', 'yu'], ['湾', 'wan'],
];

/** Synthetic village names, interleaving three patterns so each township gets a mix. */
function villageNamePool(): Name[] {
  const jiazhuang = surnames.map(([zh, py]): Name => [`${zh}家庄村`, `${py}jiazhuang`]);
  const jiabao = [...surnames].reverse().map(([zh, py]): Name => [`${zh}家堡村`, `${py}jiabao`]);
  const placed = directions.flatMap(([dz, dp]) =>
    features.map(([fz, fp]): Name => [`${dz}${fz}村`, `${dp}${fp}`]),
  );
  const pool: Name[] = [];
  for (let i = 0; i < Math.max(jiazhuang.length, jiabao.length, placed.length); i++) {
    for (const list of [jiazhuang, placed, jiabao]) {
      const name = list[i];
      if (name) pool.push(name);
    }
  }
  return pool;
}

/** A stable number in [0, 1) per key: FNV-1a, then a murmur finaliser so similar ids spread out. */
function unitInterval(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

const between = (key: string, min: number, max: number): number =>
  min + Math.floor(unitInterval(key) * (max - min + 1));

const capitalise = (slug: string): string => slug.charAt(0).toUpperCase() + slug.slice(1);

/** The seed: 2,348 grid chat groups reach about 150,000 households. */
const COUNTY_HOUSEHOLDS = 150_000;
const VILLAGE_MIN = 200;
const VILLAGE_MAX = 1_500;

/**
 * A grid's micro-grids (微网格): four to six, the grid's households shared out between them, each
 * with its worker (an admin of the grid's WeChat group).
 */
function demoMicroGrids(gridId: string, households: number): MicroGrid[] {
  const count = between(`${gridId}#micro`, 4, 6);
  const base = Math.floor(households / count);
  return Array.from(
    { length: count },
    (_, i): MicroGrid => ({
      id: `${gridId}-m${i + 1}`,
      zh: `第${i + 1}微网格`,
      households: i === count - 1 ? households - base * (count - 1) : base,
      wecomUserId: `mg-${gridId}-m${i + 1}`,
    }),
  );
}

/**
 * The demo grids' groups as the local WeChat Work simulator holds them: the platform's side, with
 * the member count the registry reads (most households' representatives joined, plus the owner
 * and the admins).
 */
export function demoGroupChats(
  org: Organisation = demoOrganisation,
): { chatId: string; ownerUserId: string; adminUserIds: string[]; memberCount: number }[] {
  return org.grids.flatMap((grid) =>
    grid.group
      ? [
          {
            chatId: grid.group.chatId,
            ownerUserId: grid.group.ownerUserId,
            adminUserIds: [...grid.group.adminUserIds],
            memberCount:
              Math.round((grid.households * between(`${grid.id}#members`, 80, 97)) / 100) +
              1 +
              grid.group.adminUserIds.length,
          },
        ]
      : [],
  );
}

function buildCommunitiesAndGrids(): { communities: Community[]; grids: Grid[] } {
  const pool = villageNamePool();
  const used = new Set(
    Object.values(plans).flatMap((p) => [...p.communities, ...p.namedVillages].map((n) => n[0])),
  );
  const nextPooled = (): Name => {
    for (let name = pool.shift(); name; name = pool.shift()) {
      if (!used.has(name[0])) {
        used.add(name[0]);
        return name;
      }
    }
    throw new Error('demo organisation: the village name pool is exhausted');
  };

  const communities: Community[] = [];
  const grids: Grid[] = [];
  const villages: Community[] = [];
  for (const township of townships) {
    const plan = plans[township.id];
    if (!plan) throw new Error(`demo organisation: no plan for township ${township.id}`);

    for (const [zh, slug, en] of plan.communities) {
      const id = `${township.id}-${slug}`;
      const gridCount = chengdongGrids[id] ?? 0;
      let households: number;
      if (gridCount > 0) {
        const own = Array.from({ length: gridCount }, (_, i): Grid => {
          const gridId = `${id}-g${i + 1}`;
          const gridHouseholds = between(gridId, 340, 360);
          const microGrids = demoMicroGrids(gridId, gridHouseholds);
          return {
            id: gridId,
            communityId: id,
            zh: `${zh}第${i + 1}网格`,
            households: gridHouseholds,
            // The grid worker's WeChat Work userid (the local simulator plays them).
            wecomUserId: `gw-${gridId}`,
            microGrids,
            // The member count is not seeded: the refresh reads it from the simulator.
            group: {
              chatId: `wr-${gridId}`,
              ownerUserId: `gw-${gridId}`,
              adminUserIds: microGrids.flatMap((m) => (m.wecomUserId ? [m.wecomUserId] : [])),
            },
          };
        });
        grids.push(...own);
        households = own.reduce((sum, g) => sum + g.households, 0);
      } else {
        // Town seats are smaller than the county town's communities.
        households = township.kind === 'subdistrict' ? between(id, 1_500, 4_000) : between(id, 1_500, 2_500);
      }
      communities.push({
        id,
        townshipId: township.id,
        kind: 'community',
        zh,
        en: en ?? `${capitalise(slug)} Community`,
        households,
      });
    }

    const names = [...plan.namedVillages];
    while (names.length < plan.villages) names.push(nextPooled());
    for (const [zh, slug, en] of names) {
      const village: Community = {
        id: `${township.id}-${slug}`,
        townshipId: township.id,
        kind: 'village',
        zh,
        en: en ?? `${capitalise(slug)} Village`,
        // Provisional; fitted to the county total below.
        households: VILLAGE_MIN,
      };
      villages.push(village);
      communities.push(village);
    }
  }

  // Village sizes are skewed (many small villages, a few large ones), then scaled so the county
  // total lands on the seed's ~150,000 households.
  const urbanHouseholds = communities
    .filter((c) => c.kind === 'community')
    .reduce((s, c) => s + c.households, 0);
  const spans = villages.map((v) => unitInterval(v.id) ** 2 * (VILLAGE_MAX - VILLAGE_MIN));
  const spanTotal = spans.reduce((s, x) => s + x, 0);
  const scale = Math.min(
    1,
    (COUNTY_HOUSEHOLDS - urbanHouseholds - VILLAGE_MIN * villages.length) / spanTotal,
  );
  villages.forEach((v, i) => {
    v.households = VILLAGE_MIN + Math.round((spans[i] ?? 0) * scale);
  });

  return { communities, grids };
}

const countyRule = (category: CategoryCode, owner: RuleOwner): RoutingRule => ({
  id: `${category.replace('_', '-')}-county`,
  category,
  area: { kind: 'county' },
  owner,
});
const toUnit = (unitId: string): RuleOwner => ({ kind: 'unit', unitId });
const toTownshipCentre: RuleOwner = { kind: 'township_centre' };

function areaSlug(area: RuleArea): string {
  switch (area.kind) {
    case 'county':
      return 'county';
    case 'township':
      return area.townshipId;
    case 'community':
      return area.communityId;
  }
}

const specificRule = (category: CategoryCode, area: RuleArea, unitId: string): RoutingRule => ({
  id: `${category.replace('_', '-')}-${areaSlug(area)}`,
  category,
  area,
  owner: toUnit(unitId),
});

const routingRules: RoutingRule[] = [
  // The default owners from the product brief, county-wide.
  countyRule('fraud', toUnit('psb-antifraud')),
  countyRule('public_safety', toUnit('psb')),
  countyRule('dispute', toTownshipCentre),
  countyRule('road', toUnit('transport')),
  countyRule('sanitation', toUnit('urban-management')),
  countyRule('heritage', toUnit('heritage')),
  countyRule('education', toUnit('education')),
  countyRule('assistance', toUnit('civil-affairs')),
  countyRule('market', toUnit('market-regulation')),
  countyRule('petition', toUnit('petition')),
  countyRule('other', toTownshipCentre),
  // In the county town, streets and street lights are municipal (城市道路), maintained by urban
  // management; the transport bureau owns the highways and rural roads everywhere else.
  specificRule('road', { kind: 'township', townshipId: 'chengdong' }, 'urban-management'),
  specificRule('road', { kind: 'township', townshipId: 'chengxi' }, 'urban-management'),
  specificRule('road', { kind: 'township', townshipId: 'chengnan' }, 'urban-management'),
  // Inside the walls the streets, paving and lamps are part of the World Heritage property
  // itself: nothing may be dug up or replaced without the heritage bureau, so it owns road
  // reports there — beating Chengxi's urban-management rule, which beats the county's transport one.
  specificRule('road', { kind: 'community', communityId: ANCIENT_CITY_COMMUNITY_ID }, 'heritage'),
];

const { communities, grids } = buildCommunitiesAndGrids();

export const demoOrganisation: Organisation = {
  countyCentreUnitId,
  // Each unit's duty account in WeChat Work (the local simulator plays it): its handlers'
  // notifications of overdue cases and escalations go there.
  units: units.map((unit) => ({ ...unit, wecomUserIds: [`duty-${unit.id}`] })),
  townships: [...townships],
  communities,
  grids,
  routingRules,
};
