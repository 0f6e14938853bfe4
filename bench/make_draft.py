"""Generate a typical draft: ~25,000 Chinese characters, 10 sections, 50 items, 200 metrics."""

from __future__ import annotations

import random

_PHRASES = [
    "坚持立德树人根本任务", "持续深化教育教学改革", "扎实推进义务教育优质均衡发展", "全面加强教师队伍建设",
    "不断改善学校办学条件", "着力提升课后服务水平", "认真落实“双减”政策要求", "统筹推进学前教育普惠发展",
    "加快推进教育数字化转型", "切实保障校园安全稳定", "积极推动职业教育融合发展", "深入开展心理健康教育",
]
_UNITS = ["所", "个", "名", "人", "人次", "万元", "%", "平方米"]


def paragraph(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        out.append("，".join(rng.sample(_PHRASES, 3)) + "，取得明显成效。")
    return "".join(out)


def make_draft(seed: int = 0, sections: int = 10, items_per_section: int = 5,
               metrics_per_item: int = 4, sentences: int = 23) -> str:
    rng = random.Random(seed)
    lines = [
        "# yaml-language-server: $schema=../schemas/work-report.schema.yaml",
        "schema_version: 1",
        "meta:",
        "  title: 示例县教育体育局2026年工作总结及2027年工作计划",
        "  issuer: 示例县教育体育局",
        "  year: 2026",
        "  kind: annual",
        "  date: 2026-12-02",
        "preface: |",
        "  " + paragraph(rng, 4),
        "achievements:",
        "  heading: 2026年工作成效",
        "  sections:",
    ]
    for s in range(sections):
        lines += [f"    - heading: 第{s + 1}项重点工作稳步推进", "      text: |", "        " + paragraph(rng, 3),
                  "      items:"]
        for i in range(items_per_section):
            lines += ["        - text: |", "            " + paragraph(rng, sentences // 2), "          metrics:"]
            for m in range(metrics_per_item):
                unit = rng.choice(_UNITS)
                value = rng.randint(1, 99) if unit == "%" else rng.randint(1, 20000)
                lines.append(f"            - {{name: 指标{s + 1}-{i + 1}-{m + 1}, value: {value}, unit: \"{unit}\"}}")
    lines += ["plans:", "  heading: 2027年工作计划", "  text: |", "    " + paragraph(rng, 3), "  items:"]
    for p in range(8):
        lines += ["    - text: |", "        " + paragraph(rng, 3), "      targets:",
                  f"        - {{name: 目标{p + 1}, value: {rng.randint(1, 500)}, unit: 个, deadline: 2027-08}}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = make_draft()
    print(text)
