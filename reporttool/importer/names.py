"""What an imported figure counts: a metric name from the noun phrase before (or after) the number.

Real reports put much before a number that is not its name: ordinals (一是), times (20__年, 目前),
places (全县, 我市), verbs of having (共有, 现有), prepositions (对, 为) and copulas (达到, 为). These
are peeled off by rule; what is left is cut at word boundaries (jieba, loaded only by import) to
the noun phrase nearest the number. Figures of a stage (小学, 初中, 普通高中) are named with their
stage, and pupils, classes and staff with the words the plausibility checks know (在校生, 班级,
教职工, 专任教师), so a name says what the figure counts.
"""

from __future__ import annotations

import re
from typing import Any

# --- vocabulary ------------------------------------------------------------------------------------

# School stages as real reports write them, longest first (初级中学 before 中学).
STAGE_WORDS = {
    "普通高中": "高中", "高级中学": "高中", "高中": "高中", "高中生": "高中",
    "初级中学": "初中", "初中": "初中", "初中生": "初中",
    "小学": "小学", "小学生": "小学",
    "幼儿园": "学前", "学前": "学前",
    "中职": "中职", "中等职业": "中职",
}
# Words that cover several stages: a stage named before them no longer applies.
MIXED_STAGES = re.compile("义务教育|中小学|各学段|全学段|中小学校|基础教育")
STAGE_PATTERN = re.compile("|".join(sorted(STAGE_WORDS, key=len, reverse=True)))

STUDENTS = re.compile("在校学生|在校生|学生|学生数|幼儿")
CLASSES = re.compile("班级|教学班|班数")
STAFF = re.compile("教职员工|教职工|教职员|专任教师|教师")
# A name that is nothing but one of these (with a 数/总数) is qualified with the stage it belongs to.
_ROLE_ONLY = re.compile("(?:在校学生|在校生|学生|教学班|班级|班|教职员工|教职工|教职员|在编教职工|专任教师|教师|"
                        "在编教师|学校)(?:数|总数|人数)?")

# Qualifiers that split a total into parts, by dimension. A 其中 list whose parts are all words
# of one dimension (with nothing else, or the total's own noun) lists the whole total.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "stage": ("十二年一贯制学校", "九年一贯制学校", "十二年一贯制", "九年一贯制", "完全中学", "初级中学", "高级中学",
              "普通高中", "特殊教育学校", "特殊教育", "中等职业学校", "职业高中", "中职学校", "中职", "中心校", "教学点",
              "完小", "村小", "幼儿园", "小学生", "初中生", "高中生", "小学", "初中", "高中", "学前", "特教", "大学",
              "高校", "中学"),
    "ownership": ("非普惠性", "普惠性", "非普惠", "普惠", "公办", "民办", "国有", "私立", "集体"),
    "location": ("城区", "城镇", "城市", "县城", "镇区", "乡镇", "农村", "乡村", "县直", "市直", "区直", "牧区",
                 "山区", "城关"),
    "gender": ("男性", "女性", "男", "女"),
    "level": ("国家级", "全国", "自治区级", "省市级", "市县级", "县市级", "县区级", "省级", "市级", "州级", "盟级", "县级", "区级", "校级", "中央", "省",
              "市", "县", "自筹", "社会"),
    "project": ("新建", "改扩建", "改建", "扩建", "续建", "迁建", "维修改造", "维修"),
    "degree": ("博士研究生", "硕士研究生", "研究生", "博士", "硕士", "本科", "大专", "专科", "中专", "高中及以下"),
    "staffing": ("专任教师", "管理人员", "教辅人员", "工勤人员", "工勤", "教辅", "在编", "编外", "临聘", "代课", "特岗",
                 "合同制", "聘用"),
    "category": ("普通类", "美术类", "体育类", "音乐类", "艺术类", "文科", "理科", "文史类", "理工类"),
    "award": ("特等奖", "一等奖", "二等奖", "三等奖", "优秀奖", "金奖", "银奖", "铜奖"),
    "term": ("春季学期", "秋季学期", "春季", "秋季", "上半年", "下半年"),
}
# Nouns a part may repeat after its qualifier without leaving the total's kind (九年一贯制学校 of 学校).
_GENERIC_HEADS = ("学校", "校", "学生", "在校生", "教师", "人员", "项目", "资金", "经费", "学位")

# Peeled off the start of a phrase, again and again (first match each time).
_LEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+是|首先|其次|再次|最后|另外|此外|同时|并且|并|且|还|又|均(?!衡)|都|其中|另有|包括|含|"
    r"(?:截至|截止|到)(?:目前|20[0-9_X]{2}年(?:底|末)?|年底)|目前|当前|现阶段|近年来|近?[一二三四五六七八九十两0-9]+年(?:来|以来)|近[一二三四五六七八九十两0-9]+年|"
    r"(?:(?:19|20)[0-9_Xx]{2}|[Xx]{4})年(?:度)?(?:春季|秋季|上半年|下半年|底|末|初)?(?:学期)?|[0-9_Xx]{1,2}月(?:[0-9_Xx]{1,2}日)?(?:以来)?|"
    r"仍有|仍然|仍|今年|去年|全年|年内|本年度|本学期|上半年|下半年|春季学期|秋季学期|春季|秋季|"
    r"全[县市区旗省州盟镇乡]|我[县市区旗省州盟局]|本[县市区旗]|县域内?|市域内?|区域内|全系统|系统内|"
    r"的|[^\u4e00-\u9fffA-Za-z0-9]+|共有|现有|拥有|建有|设有|办有|共计|合计|总计|累计|共(?!青团|建|享)|有(?![效关力序机])|计(?![划算])|约|"
    r"近(?!视)|达(?![标])|对(?![口])|为(?!民)|向|给|在(?![校编园读岗职])|从(?!业)|按照|按|经过|经(?![费济验营常])|"
    r"由|把|将|与|和|及(?!时)|以|通过|根据)")
# Peeled off the end.
_TRAILING = re.compile(r"(?:达到了?|(?<![到送抵])达|(?<![行作认成称])为|(?<![于总])是|(?<![所拥具占])有|共|约|(?<![附接])近|"
                       r"超过|逾|已|(?<![为除])了|增至|增加到|分别为|分别是|分别|总数为|数为|人数为|规模为|的|共计|合计|累计|"
                       r"总计)$")
# After these the phrase before them is the way, not the thing counted (…等方式招录在编教师).
_CUT_AFTER = re.compile(r".*(?:等方式|等形式|等途径|等措施|等渠道|等活动|的方式|方式|形式|途径|渠道|措施)")
_TIMES = re.compile(r"(?:(?:19|20)[0-9_Xx]{2}|[Xx]{4})年(?:度)?(?:春季|秋季|上半年|下半年|底|末|初)?(?:学期)?")
_QUOTES = re.compile("[“”\"‘’'《》〈〉「」『』]")
# Words after a number that are not what it counts (3所学校 counts 学校; 347人被录取 does not).
_NOT_NOUN_AFTER = re.compile(r"^(?:被|的|获|在|以|于|及|和|与|是|为|参加|参与|进行|开展|受到|得到|完成|通过|达到|左右|"
                             r"以上|以下|次|人次|余|多|之|中|内|外|左|右)")
_VERB = re.compile("^(?:新建|新增|增加|招聘|招录|补充|引进|培训|轮训|资助|改造|建设|完成|投入|投资|发放|开展|组织|举办|"
                   "创建|评选|表彰|获评|获得|获|认定|遴选|选派|交流|安置|录取|招收|招生|接收|覆盖|排查|整改|设置|配备|"
                   "购置|更新|维修|新建、扩建|新建、改扩建|改扩建|扩建|迁建|续建|消除|化解|减少|压减|注销|受理|办结|"
                   "送教|慰问|帮扶|结对|参加|参与|入选|上报|推荐|争取|下达|拨付|筹措|落实|办好|抓好|做好|组建|打造|"
                   "建立|实施|推进|办结|实现)")
_HAVING = frozenset({"共有", "现有", "拥有", "有", "达到", "达", "为", "是", "计", "共计", "合计", "累计", "总计"})
_NOUNISH_VERBS = frozenset({"在编", "在岗", "在职", "在校", "在园", "在读", "在籍", "招生", "培训", "资助"})
MAX_NAME = 16  # characters: longer phrases are cut at a word boundary near the number


# --- segmentation ----------------------------------------------------------------------------------

_DOMAIN_WORDS = (
    "在校生", "在校学生", "教学班", "班级数", "教职工", "教职员工", "专任教师", "在编教师", "在编教职工", "特岗教师",
    "义务教育", "学前教育", "普通高中", "初级中学", "九年一贯制", "十二年一贯制", "完全中学", "教学点", "幼儿园",
    "中小学", "中职学校", "特殊教育", "适龄儿童", "随迁子女", "留守儿童", "残疾儿童", "毕业生", "就业人数",
    "大班额", "超大班额", "学位", "校舍", "公办", "民办", "普惠性", "生均", "专递课", "课后服务", "改扩建",
)
def _jieba() -> Any:
    """The shared jieba tokenizer with this module's words (built once per process)."""
    from reporttool.model.segment import tokenizer

    return tokenizer(tuple(_DOMAIN_WORDS), pos=True)


def words(text: str) -> list[tuple[str, str]]:
    """(word, part of speech) of `text` by jieba with the reports' own words."""
    return [(str(pair.word), str(pair.flag)) for pair in _jieba().cut(text, HMM=False)]


# --- names -------------------------------------------------------------------------------------------

def peel(phrase: str) -> str:
    """The phrase without the ordinals, times, places, verbs of having and copulas around it."""
    phrase = _QUOTES.sub("", phrase).strip(" 　")
    for _ in range(12):
        match = _LEADING.match(phrase)
        if not match or match.end() == 0:
            break
        phrase = phrase[match.end():]
    cut = _CUT_AFTER.match(phrase)
    if cut and cut.end() < len(phrase):
        phrase = phrase[cut.end():]
    phrase = _TIMES.sub("", phrase)
    phrase = re.sub("共有|现有|拥有|建有|设有|办有", "", phrase)  # never part of a name (城区现有小学 → 城区小学)
    for _ in range(6):
        match = _TRAILING.search(phrase)
        if not match or match.start() == len(phrase):
            break
        phrase = phrase[:match.start()]
    return phrase.strip("、 　")


def shorten(phrase: str, limit: int = MAX_NAME) -> str:
    """The phrase cut to at most `limit` characters at a word boundary, keeping the words nearest the
    number; a long phrase starts at its last verb when what follows is a name (…秋季购买学位 → 购买学位)."""
    if len(phrase) > 8:
        tokens = words(phrase)
        for at in range(len(tokens) - 2, 0, -1):
            word, flag = tokens[at]
            tail = "".join(w for w, _ in tokens[at:])
            if flag == "v" and len(word) >= 2 and 4 <= len(tail) <= limit and \
                    all(f.startswith("n") or f in ("vn", "l", "j", "b", "v") for _, f in tokens[at + 1:]) and \
                    all(f != "v" or w in _NOUNISH_VERBS for w, f in tokens[at + 1:]):
                return tail[len(word):] if word in _HAVING else tail
    if len(phrase) <= limit:
        return phrase
    kept = ""
    for word, _ in reversed(words(phrase)):
        if len(kept) + len(word) > limit:
            break
        kept = word + kept
    return kept or phrase[-limit:]


def noun_after(text: str) -> str:
    """The noun a number counts when it stands before it: “236名校长进行轮训” → 校长."""
    if not text or _NOT_NOUN_AFTER.match(text):
        return ""
    head = re.split(r"[，,。；;：:、（()）“”\s！？]", text, maxsplit=1)[0][:12]
    out = ""
    for word, flag in words(head):
        if not re.fullmatch("[\u4e00-\u9fff]+", word):
            break
        nounish = flag.startswith("n") or flag in ("vn", "l", "j", "nz", "b", "an")
        if out and (not nounish or word.endswith("率")):
            break
        if not out and not nounish and flag not in ("a", "v"):
            break
        out += word
        if len(out) >= 8:
            break
    return "" if _NOT_NOUN_AFTER.match(out) else out


def stage_of(text: str) -> str | None:
    """The one stage `text` names (小学, 初中, 高中…), None when none or several."""
    found = {STAGE_WORDS[m.group()] for m in STAGE_PATTERN.finditer(text)}
    return found.pop() if len(found) == 1 else None


def role_only(name: str) -> bool:
    """A bare 在校生, 班级, 教职工… that needs its stage to say what it counts."""
    return _ROLE_ONLY.fullmatch(name) is not None


def dimension(own: str, total: str) -> str | None:
    """The dimension of the qualifier a part of `total` is named by (公办 → ownership), when the part
    is that qualifier alone or the qualifier and the total's own noun; None otherwise."""
    for name, qualifiers in DIMENSIONS.items():
        for word in qualifiers:
            if not own.startswith(word):
                continue
            rest = own[len(word):]
            if not rest or rest in _GENERIC_HEADS or rest in total or rest.endswith(_head(total)):
                return name
    return None


def _head(total: str) -> str:
    for pattern in (STUDENTS, STAFF, CLASSES):
        found = pattern.findall(total)
        if found:
            return str(found[-1])
    return total[-2:]


# Parts that name a thing by themselves (a 九年一贯制学校 of 学校, 专任教师 of 教职工): never prefixed.
_NOUN_PARTS = re.compile(r"(?:学校|中学|小学|初中|高中|幼儿园|教学点|完小|村小|中心校|高校|大学|专任教师|管理人员|教辅人员|工勤人员)$")


def qualify(qualifier: str, total: str) -> str:
    """A part named only by its qualifier, with the total's noun: 小学 of 专任教师 → 小学专任教师,
    新建 of 新建、改扩建校舍 → 新建校舍; a part that names a thing itself stays as it is."""
    people = STUDENTS.search(total) or STAFF.search(total) or CLASSES.search(total)
    if qualifier in ("小学生", "初中生", "高中生"):
        qualifier = qualifier[:-1]
    stage = STAGE_WORDS.get(qualifier)
    if _NOUN_PARTS.search(qualifier) and not (stage is not None and people):
        return qualifier  # 小学 of 学校, 专任教师 of 教职工: the thing itself
    if stage is not None or qualifier in DIMENSIONS["stage"]:
        total = MIXED_STAGES.sub("", total).removeprefix("阶段").removeprefix("的") or total
    same = next((words for words in DIMENSIONS.values() if qualifier in words), ())
    for _ in range(4):  # the total's own words of that dimension give way to the part's (新建、改扩建校舍)
        word = next((w for w in sorted(same, key=len, reverse=True) if total.startswith(w) and len(total) > len(w)), "")
        if not word:
            break
        total = total[len(word):].lstrip("、和及与")
    return qualifier + total if not total.startswith(qualifier) else total


def starts_with_verb(phrase: str) -> bool:
    return _VERB.match(phrase) is not None


def is_verb_phrase(phrase: str) -> bool:
    return _VERB.fullmatch(phrase) is not None or _VERB.match(phrase) is not None and len(phrase) <= 4


class Namer:
    """Metric names unique in the whole draft (references resolve by name)."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.seen: list[tuple[str, str, Any]] = []  # (noun phrase, name, unit) of each figure named so far
        # the next number to try for a base: names are never given back, so every smaller one is taken
        # (without it, the k-th 在校学生 tried k names: import was quadratic in repeated clauses)
        self.numbered: dict[str, int] = {}

    def remember(self, own: str, name: str, unit: Any) -> None:
        self.seen.append((own, name, unit))

    def known(self, phrase: str, unit: Any) -> str | None:
        """The name of the latest figure stated before whose noun phrase is `phrase` (占专任教师总数的…)."""
        for own, name, seen_unit in reversed(self.seen):
            if (own == phrase or name == phrase or own.endswith(phrase)) and seen_unit.compatible(unit):
                return name
        return None

    def unique(self, base: str, longer: str = "") -> str:
        """`base`, or `longer` (more of the phrase) when base is taken, else base numbered （2）…"""
        if base not in self.used:
            self.used.add(base)
            return base
        if longer and longer != base and longer not in self.used:
            self.used.add(longer)
            return longer
        n = self.numbered.get(base, 2)
        while f"{base}（{n}）" in self.used:
            n += 1
        self.numbered[base] = n + 1
        name = f"{base}（{n}）"
        self.used.add(name)
        return name

    def name(self, clause: str, unit: Any, after: str = "") -> str:
        """A name for the figure after `clause` (and before `after`); kept for callers of the old API."""
        return self.unique(phrase_name(clause, after, unit.kind.title))


_AGE = re.compile(r"[0-9]+(?:周?岁|分)(?:及|至[0-9]+周?岁)?(?:以上|以下)")  # 35岁以下教师, 600分以上考生
_AGE_ALONE = re.compile(r"[0-9]+周?岁")


def phrase_name(before: str, after: str, fallback: str) -> str:
    """The name of a figure from the text of its clause before it and the text after it."""
    own = peel(before)
    without_ages = _AGE_ALONE.sub("", _AGE.sub("", own))
    if re.search(r"[0-9【】_]|(?<![A-Za-z])[Xx]+(?![A-Za-z])", without_ages):
        pieces = re.split(r"(?:(?<![0-9])[0-9]+(?![0-9]*(?:周?岁|分以上|分以下))|[【】_Xx])+", own)
        own = peel(pieces[-1])
    noun = noun_after(after)
    if noun and (not own or is_verb_phrase(own)):
        own = own + noun if own and len(own) + len(noun) <= MAX_NAME else noun
    own = shorten(own)
    return own or fallback
