"""Every rule the spine knows: id, default severity, one-line description, message template.

One place for the Chinese wording, so reporters, `reporttool rules` and tests agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from reporttool.problems import Problem, Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    message: str
    hint: str | None = None
    fatal_io: bool = False  # the file could not be checked at all: exit 2


_RULES = [
    # --- files -------------------------------------------------------------------------
    Rule("io/not-found", E, "文件或目录不存在", "文件或目录不存在", None, True),
    Rule("io/unreadable", E, "文件无法读取（权限、设备错误等）", "无法读取：{reason}", None, True),
    Rule("io/not-regular", E, "不是普通文件（管道、设备、目录等）", "不是普通文件（{kind}），未检查", None, True),
    Rule("io/too-large", E, "文件超过大小上限", "文件过大（{size}，上限 {limit}），未检查",
         "草稿通常不到 100 KB；请检查是否选错了文件"),
    Rule("io/no-drafts", W, "目录中没有草稿文件", "目录中没有找到 .yaml 或 .yml 草稿"),
    # --- encodings ---------------------------------------------------------------------
    Rule("encoding/legacy", W, "文件不是 UTF-8 编码（已正确读取）",
         "文件是 {encoding} 编码，已按 {encoding} 读取", "建议在编辑器中另存为 UTF-8 编码"),
    Rule("encoding/invalid", E, "文件含有无法解码的字节", "此处的字节不是有效的 UTF-8 文本（{byte}）",
         "文件可能已损坏，或混入了其他编码的内容；请在编辑器中检查这一行并另存为 UTF-8"),
    Rule("encoding/mixed", E, "文件混用了 GBK 与 UTF-8", "文件混用了 GBK 与 UTF-8 编码（{label} 的行：{lines}）",
         "请统一另存为 UTF-8 编码"),
    Rule("encoding/binary", E, "不是文本文件", "不是文本文件（{what}）", "草稿应是 .yaml 文本文件"),
    # --- YAML --------------------------------------------------------------------------
    Rule("yaml/syntax", E, "YAML 语法错误", "YAML 语法错误：{detail}"),
    Rule("yaml/tab", E, "用了制表符（Tab）缩进或分隔", "不能用制表符（Tab）缩进或分隔，请改用空格",
         "在编辑器中打开“用空格代替 Tab”；正文里需要的 Tab 请放在 | 块中"),
    Rule("yaml/duplicate-key", E, "同一层级的键重复", "键“{key}”重复（第一次出现在第{first_line}行第{first_column}列）",
         "删除或合并其中一个"),
    Rule("yaml/empty", E, "文件为空或只有注释", "文件为空或只有注释", "可以用 examples/ 中的示例作为起点"),
    Rule("yaml/multi-doc", E, "一个文件含多份文档", "一个文件只能有一份草稿（此处出现了第二个文档）",
         "删除多余的 ---，或把第二份草稿另存为一个文件"),
    Rule("yaml/root", E, "顶层不是键值结构", "顶层必须是键值结构（如 meta: …），实际是{kind}"),
    Rule("yaml/anchor", E, "使用了锚点（&）", "不允许使用锚点 &{name}（锚点和别名会让内容被重复展开）",
         "如果“&”是正文，请给整段加引号或改用 | 块"),
    Rule("yaml/alias", E, "使用了别名（*）", "不允许使用别名 *{name}",
         "如果“*”是正文，请给整段加引号或改用 | 块"),
    Rule("yaml/tag", E, "使用了 YAML 标签（!）", "草稿中不允许使用标签 {tag}",
         "如果“!”是正文，请给整段加引号或改用 | 块"),
    Rule("yaml/directive", E, "使用了 % 指令", "不支持 {directive} 指令", "删除这一行"),
    Rule("yaml/depth", E, "嵌套层级过深", "嵌套层级过深（上限 {limit} 层）"),
    Rule("yaml/key-type", E, "键不是文本", "键 {key} 会被读成{kind}", "键名请写成文本，如需数字请加引号：\"{key}\""),
    Rule("yaml/split-number", E, "数字中的逗号把 { } 中的数值拆开了", "数值“{text}”中的逗号把它拆成了两半",
         "在 {{ }} 中逗号用来分隔字段；千位分隔符请去掉，写成 {fixed}"),
    Rule("yaml/number", E, "数值无法使用（NaN、无穷大、过长）", "数值无效：{detail}"),
    Rule("yaml/control-char", E, "含控制字符（Word 无法保存）", "含控制字符 {cp}，Word 无法保存此字符",
         "删除该字符（常见于从网页或 PDF 复制的文字）"),
    Rule("yaml/line-break-char", E, "含不可见的特殊换行符", "含不可见的特殊换行符 {cp}",
         "删除该字符（常见于从网页复制的文字），需要换行请直接回车"),
    Rule("yaml/invisible-char", E, "键名中含不可见字符", "键名“{key}”中含不可见字符 {cp}", "删除该字符后重新输入键名"),
    Rule("yaml/comment-swallowed", W, "文字被 # 当作注释丢弃", "“{text}”被当作注释丢弃了",
         "YAML 中“ #”开始注释；如需保留，请给整段加引号或改用 | 块"),
    # --- schema ------------------------------------------------------------------------
    Rule("schema/required", E, "缺少必填字段", "{part}缺少必填字段“{key}”（{title}）"),
    Rule("schema/unknown-key", E, "不认识的字段（可能拼错或放错了层级）", "{part}中不认识的字段“{key}”"),
    Rule("schema/type", E, "值的类型不对", "{field}应为{expected}，实际是{actual}"),
    Rule("schema/enum", E, "值不在允许的范围内", "{field}的值“{value}”无效，可选值：{allowed}"),
    Rule("schema/format", E, "格式不对（日期等）", "{field}“{value}”{problem}"),
    Rule("schema/pattern", E, "格式不对", "{field}“{value}”格式不对：{expected}"),
    Rule("schema/range", E, "数值超出范围", "{field}为 {value}，{bound}"),
    Rule("schema/length", E, "文字或列表长度不对", "{field}{problem}"),
    Rule("schema/version", E, "草稿的格式版本不受支持", "草稿声明的格式版本 {value} 不受支持（本工具支持：{allowed}）",
         "请升级 reporttool，或按本版本的示例修改草稿"),
    Rule("schema/combination", E, "字段组合不允许", "{message}"),
    # --- the tool itself ---------------------------------------------------------------
    Rule("internal/error", E, "reporttool 内部错误", "内部错误：{detail}",
         "这是 reporttool 的问题，不是草稿的问题；请附上 --debug 的输出报告", True),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def make(rule_id: str, file: str, line: int = 0, column: int = 0, *, path: str = "",
         source_line: str | None = None, severity: Severity | None = None,
         hint: str | None = None, **fields) -> Problem:
    """Build a Problem from the catalogue; `fields` fill the message and hint templates."""
    rule = RULES[rule_id]
    message = rule.message.format(**fields)
    if hint is None and rule.hint is not None:
        hint = rule.hint.format(**fields)
    return Problem(file=file, line=line, column=column, severity=severity or rule.severity,
                   rule=rule_id, message=message, hint=hint or None, path=path,
                   source_line=source_line, fatal_io=rule.fatal_io)


def visible(text: str, limit: int = 40) -> str:
    """Quote draft text in a message: invisible characters shown as ⟨U+XXXX⟩, long text cut."""
    out = []
    for ch in text[:limit]:
        if ch in INVISIBLE or (ord(ch) < 0x20 and ch not in "\n") or ch == "\x7f":
            out.append(f"⟨U+{ord(ch):04X}⟩")
        elif ch == "\n":
            out.append("⏎")
        else:
            out.append(ch)
    if len(text) > limit:
        out.append("…")
    return "".join(out)


# Characters that look like nothing (or like a space) but change what a key or number is.
INVISIBLE = {
    "\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符", "\u2060": "字连接符",
    "\ufeff": "BOM", "\u00a0": "不换行空格", "\u3000": "全角空格", "\u00ad": "软连字符",
}
