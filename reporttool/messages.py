"""Every rule the spine knows: id, default severity, one-line description, message template.

One place for the Chinese wording, so reporters, `reporttool rules` and tests agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reporttool.problems import Problem, Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # N: a note for the reader


@dataclass(frozen=True)
class Rule:
    """A rule of the catalogue."""

    id: str
    severity: Severity
    summary: str
    message: str
    hint: str | None = None
    fatal_io: bool = False  # the file could not be checked at all: exit 2
    variants: tuple = ()  # (name, message) pairs: other wordings of the same finding
    variant_hints: tuple = ()  # (name, hint) pairs: a variant's own hint ("" for none) instead of `hint`


_RULES = [
    # --- files -------------------------------------------------------------------------
    Rule("io/not-found", E, "文件或目录不存在", "文件或目录不存在", None, True),
    Rule("io/unreadable", E, "文件无法读取（权限、设备错误等）", "无法读取：{reason}", None, True),
    Rule("io/not-regular", E, "不是普通文件（管道、设备、目录等）", "不是普通文件（{kind}），未检查", None, True),
    Rule("io/too-large", E, "文件超过大小上限", "文件过大（{size}，上限 {limit}），未检查",
         "草稿通常不到 100 KB；请检查是否选错了文件"),
    Rule("io/timeout", E, "检查一个文件超过了时间上限", "检查这个文件超过了 {seconds} 秒的上限，已跳过（其余文件照常检查）",
         "草稿通常在 1 秒内检查完；请检查文件是否异常（极长的行、大量重复的内容），或用 --time-limit 放宽上限",
         True),
    Rule("io/crash", E, "检查这个文件时解析器崩溃", "检查这个文件时出错：{reason}",
         "文件可能含有极深的嵌套等异常结构；请用编辑器检查，或把文件发给维护人员", True),
    Rule("io/no-drafts", E, "目录中没有草稿文件", "目录中没有找到 .yaml 或 .yml 草稿",
         "检查路径是否写错；CI 中路径写错时检查会因此失败，而不是悄悄通过", True),
    # --- encodings ---------------------------------------------------------------------
    Rule("encoding/legacy", W, "文件不是 UTF-8 编码（已正确读取）",
         "文件是 {encoding} 编码，已按 {encoding} 读取", "建议在编辑器中另存为 UTF-8 编码"),
    Rule("encoding/invalid", E, "文件含有无法解码的字节", "此处的字节不是有效的 UTF-8 文本（{byte}）",
         "文件可能已损坏，或混入了其他编码的内容；请在编辑器中检查这一行并另存为 UTF-8",
         variants=(("truncated", "此处有一个不完整的字：UTF-8 的多字节字符只剩前 {have} 个字节（{byte}），这一行其余都是 UTF-8"),),
         variant_hints=(("truncated", "多半是复制、截断或传输时损坏了这个字；请在编辑器中补写这个字后保存"),)),
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
    Rule("yaml/stray-bom", E, "文件中间有字节顺序标记（BOM）", "此处有一个看不见的字节顺序标记（BOM，U+FEFF）",
         "多半是把另一个文件的内容拼接或粘贴进来时带进的；请删除这个字符（在此处按删除键，列号不变即已删除）"),
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
    # --- metrics -----------------------------------------------------------------------
    Rule("metric/value", E, "指标的数值或单位写法不对", "指标“{name}”：{detail}"),
    Rule("metric/unknown-unit", W, "单位表中没有这个量词（这个数不参与核对）",
         "指标“{name}”：不认识的单位“{unit}”，这个数不参与加总、比率等核对",
         '如果“{add}”是要用的量词，在 reporttool.toml 的 [units] 下登记它："{add}" = "count"（一种新的数量单位），'
         '或如 "台套" = {{base = "台"}}（与已有的单位相加）'),
    Rule("metric/integer", E, "数量类指标不是整数", "“{name}”为 {value}{unit}，{kind}只能是整数",
         "检查是否多写了小数点，或单位用错（如“万人”写成了“人”）"),
    Rule("metric/range", E, "数值超出该类指标的范围", "“{name}”为 {value}{unit}，{kind}{bound}"),
    Rule("metric/parts-sum", E, "其中各项之和与总数不符",
         "“{name}”其中各项之和为{sum}，与总数{total}不符（相差{diff}）", "核对总数和各分项",
         variants=(("partial", "“{name}”其中所列各项之和为{sum}，超过了总数{total}（多出{diff}）"),
                   ("breakdown", "“{name}”按{parts}分列，各项之和为{sum}，与总数{total}不符（相差{diff}）"),
                   ("breakdown-partial", "“{name}”按{parts}所列各项之和为{sum}，超过了总数{total}（多出{diff}）"))),
    Rule("metric/part-exceeds", E, "其中某项超过总数", "其中“{part}”为{value}，超过了总数“{name}”{total}"),
    Rule("metric/parts-unit", E, "其中各项与总数的单位不能相加",
         "其中“{part}”的单位“{unit}”与总数“{name}”的单位“{total_unit}”不是同一种量"),
    Rule("metric/at-most", E, "一个数超过了它不能超过的另一个数（at_most）",
         "“{name}”为{value}，超过了“{bound}”{bound_value}（多出{diff}）",
         "“{name}”不能多于“{bound}”（如专任教师不能多于教职工）：核对这两个数",
         variants=(("unit", "“{name}”（{unit}）与“{bound}”（{bound_unit}）不是同一种量，无法比较大小"),),
         variant_hints=(("unit", "检查 at_most 是否写错了指标，或两个数的单位是否写错"),)),
    Rule("metric/same-as", E, "同一个数在两处写得不一样（same_as）",
         "“{name}”为{value}，与同一个数“{other}”{other_value}不符（相差{diff}）",
         "同一个数在不同地方说法不同：核对哪一处是对的，把另一处改成一致（也可以两处都引用同一个指标）",
         variants=(("unit", "“{name}”（{unit}）与“{other}”（{other_unit}）不是同一种量，不会是同一个数"),),
         variant_hints=(("unit", "检查 same_as 是否写错了指标，或两个数的单位是否写错"),)),
    Rule("metric/announced-count", E, "宣布的数目与列出的条目数不符（counts）",
         "“{name}”为{value}，而{place}下列出了{listed}{what}",
         "核对宣布的数目和下面逐项列出的内容：是否漏写、多写，或把两项合成了一项",
         variants=(("unit", "“{name}”写了 counts（列出的条目数），单位应是项、个、支等数量单位，实际是“{unit}”"),
                   ("where", "“{name}”写了 counts: {counts}，但{place}下列出的是{other}：请改为 counts: {suggest}")),
         variant_hints=(("unit", "counts 只用于“五大工程”“6支团队”这类宣布的个数；不是个数的指标请删去 counts"),
                        ("where", ""))),
    Rule("metric/rate", E, "比率与分子÷分母不符", "“{name}”为{stated}，而{numerator}÷{denominator}={computed}",
         "核对比率或分子、分母", variants=(("unit", "“{name}”写了分子分母（rate），单位应为“{percent}”，实际是“{unit}”"),
                                          ("sum-unit", "“{name}”的{side}中“{part}”（{unit}）与“{first}”（{first_unit}）"
                                                       "不是同一种量，不能相加"))),
    Rule("metric/change", E, "比上年增减与两年数值不符",
         "“{name}”比上年{verb}{stated}，而{current}−{previous}={computed}", "核对本年数、上年数和增减数",
         variants=(("ref", "“{name}”比上年{verb}{stated}，而{current}−{previous}（“{ref}”）={computed}"),)),
    Rule("metric/growth", E, "增长率与两年数值不符",
         "“{name}”比上年增长{stated}%，而（{current}−{previous}）÷{previous}={computed}%",
         variants=(("ref", "“{name}”比上年增长{stated}%，而（{current}−{previous}）÷{previous}={computed}%"
                           "（上年数取“{ref}”）"),
                   ("implied", "“{name}”比上年{verb}{change}、增长{stated}%，而上年数应为{current}−{change}={previous}，"
                               "增长率为{change}÷{previous}={computed}%"))),
    Rule("metric/target-deadline", W, "计划目标缺少完成时限", "目标“{name}”没有写完成时限",
         "用完整写法并加上 deadline，如 deadline: {year}-12"),
    Rule("metric/target-period", E, "完成时限不在计划期内", "目标“{name}”的完成时限 {deadline} 不在计划期（{period}）内"),
    Rule("metric/class-size", W, "平均班额超过国家标准",
         "{stage}平均每班{ratio}人（{students}÷{classes}），超过{label}标准（{limit}人）",
         "核对学生数和班级数是否写反或写错；标准见教育部关于消除大班额的要求（56人以上为大班额，66人以上为超大班额）"),
    Rule("metric/pupil-teacher", W, "学生与教职工之比高于国家编制标准",
         "{stage}学生与{category}之比为{ratio}:1（{students}÷{teachers}），高于国家编制标准{limit}:1",
         "核对学生数和教职工数；编制标准按教职工计（不是专任教师），见《关于统一城乡中小学教职工编制标准的通知》"
         "（中央编办发〔2014〕72号）"),
    Rule("metric/ref", E, "正文引用的指标不存在", "【{ref}】没有对应的指标"),
    Rule("metric/ref-ambiguous", E, "引用的指标名称重复", "有{count}个名为“{ref}”的指标，引用不明确",
         "给这些指标加上不同的 id，正文写【id】"),
    # --- prose -----------------------------------------------------------------------
    Rule("text/unlinked-number", W, "正文中的数字没有关联指标", "这段正文中有{count}处数字没有关联指标：{numbers}",
         "在 metrics 中登记这个数，正文写成【名称】：排版时自动填入，数字与正文就不会不一致"),
    Rule("text/placeholder", E, "未填写的占位符（X、xx、__、20__、某某等）", "“{text}”是未填写的占位符",
         "填入实际内容"),
    Rule("text/decimal-point", E, "数字中间的“。”应为小数点", "“{text}”中的“。”应为小数点，写作“{fixed}”",
         variants=(("version", "“{text}”像版本号，应写作“{fixed}”"),)),
    Rule("text/halfwidth-punct", W, "中文句子中用了半角标点", "中文句子中用了半角“{mark}”，应为全角“{full}”"),
    Rule("text/unbalanced", E, "引号、书名号或括号不成对", "“{mark}”没有与之配对的“{pair}”"),
    Rule("text/fullwidth-digit", W, "用了全角数字", "“{text}”是全角数字，应写作“{fixed}”"),
    Rule("text/sequence", W, "“一是、二是……”序号不连续或重复", "“{found}”的前一项应为“{expected}”",
         "检查是否漏写、重复或顺序颠倒"),
    Rule("text/date", E, "正文中的日期不存在", "“{text}”不是有效的日期"),
    # --- structure and dates -----------------------------------------------------------
    Rule("structure/empty-section", W, "空的节或条目", "“{heading}”没有正文、条目或指标"),
    Rule("structure/duplicate-heading", W, "同一部分中标题重复", "标题“{heading}”与第{first_line}行的标题重复"),
    Rule("structure/empty-attachment", W, "附件只有名称，没有内容（不另排一页）",
         "附件“{title}”只有名称，没有正文：排版时只在附件说明中列出，不另排一页",
         "填写附件正文（text）；若是指标一览表，加上 indicators: true 由指标自动生成；附件另行报送时可忽略此提示",
         variants=(("no-metrics", "附件“{title}”标为指标一览表，但草稿中没有可列出的指标：不生成表格，只在附件说明中列出"),
                   ("flag", "草稿中没有可列出的指标，--indicators 未生成“{title}”"))),
    Rule("structure/title-lines", E, "标题分行连起来与标题不一致", "标题分行连起来是“{joined}”，与标题“{title}”不一致",
         "title_lines 只决定在哪里换行：各行连起来应与 title 一字不差"),
    Rule("structure/unused-heading", W, "写了标题、排版时却不会印出（无标题部分、并入基本情况、合并部分的一半）",
         "标题“{heading}”不会排出：本部分写了 headless: true（无标题）",
         "要印出标题，删去 headless: true；原文确实没有标题，删去 heading",
         variants=(("in-profile", "标题“{heading}”不会排出：工作成效写了 in_profile: true，各节接在基本情况部分之下，不另立标题"),
                   ("merged", "标题“{heading}”不会排出：存在问题及下一步打算合为一个部分时，只印 problems_and_plans 的标题"))),
    Rule("structure/in-profile", E, "工作成效并入基本情况（in_profile），却没有带标题的基本情况部分，或又写了 headless",
         "工作成效写了 in_profile: true（各节接在基本情况之下），但草稿中没有基本情况部分（profile）：各节的“（一）（二）”上面没有一级标题",
         "加上带标题的基本情况部分（profile），或删去 in_profile；各节本身就是“一、二、”时改写 headless: true",
         variants=(("headless-profile", "工作成效写了 in_profile: true（各节接在基本情况之下），但基本情况部分写了 headless: true："
                                        "各节的“（一）（二）”上面没有一级标题"),
                   ("headless", "工作成效同时写了 in_profile: true 和 headless: true：各节要么接在基本情况之下排“（一）”，"
                                "要么自成一级排“一、”，只能选一种"))),
    Rule("structure/empty-part", W, "部分没有正文或条目（只印出标题，或什么也不印）", "{name}没有正文或条目：{effect}",
         "填写正文（text）或条目（items）；不需要这一部分时把它删去"),
    Rule("structure/headless-items", W, "无标题部分的条目排为“（一）（二）”，读起来像是上一部分的内容",
         "{name}没有标题（headless），其条目排为“（一）（二）……”，读起来会像是上一部分的内容",
         "给本部分写上标题（删去 headless），或在本部分写 item_numbering: run-in，把条目串为“一是……；二是……”"),
    Rule("structure/too-deep", W, "条目层次超过公文的四级序号",
         "“{heading}”下的细目在第五级：公文序号只有“一、（一）1.（1）”四级，排版时细目排为“①②”串在一段中",
         "把细目并入子条目的正文；或原文的各项工作本身就是“一、二、”时，在工作成效中写 headless: true"),
    Rule("structure/heading-number", W, "标题自带序号（排版时还会自动编号）",
         "标题“{heading}”自带序号“{number}”，排版时还会自动编号，序号会重复", "删去“{number}”：序号由模板按层级生成"),
    Rule("date/before-period", E, "成文日期早于所总结的年度", "成文日期 {date} 早于报告年度 {year} 年"),
    Rule("date/after-period", W, "成文日期晚于所总结年度的下一年", "成文日期 {date} 距报告年度 {year} 年较远，请核对"),
    Rule("date/plan-year", W, "计划的年份与报告类型不符（年度总结的计划应为下一年）", "计划部分写的是{found}年，{kind}的计划应为{expected}年"),
    Rule("config/invalid", E, "配置文件有误", "配置文件有误：{detail}", None, True),
    Rule("config/ignored", N, "上级目录中无法读取的 pyproject.toml 已忽略",
         "已忽略上级目录中无法读取的 {pyproject}（{reason}）；其中如有 [tool.reporttool] 配置，未生效",
         "这个 pyproject.toml 多半属于别的项目；如要用它配置 reporttool，请先修正它，或在草稿目录放一个 reporttool.toml"),
    # --- across drafts: last year's report ----------------------------------------------------------
    Rule("history/previous", E, "上年数与上年报告不符", "“{name}”的上年数{written}与上年报告中的{found}不符（{other}）",
         "上年报告 {other} 中“{other_name}”为{found}：改正本年的上年数，或核对上年报告"),
    Rule("history/unusable", E, "上年报告无法使用", "上年报告“{report}”无法使用：{reason}",
         "meta.previous_report 写相对于本草稿所在目录的路径，如“../2025/某县2025年工作总结.yaml”"),
    Rule("history/new-metric", N, "上年报告中没有的指标", "“{name}”是上年报告（{report}）中没有的指标"),
    Rule("history/dropped-metric", N, "上年报告中有、本年没有写的指标", "上年报告中的指标“{name}”（{other}）本年没有写"),
    # --- across drafts: a city's figures from its counties' drafts -----------------------------------
    Rule("rollup/mismatch", E, "汇总数与各县区草稿不符",
         "“{name}”写的是{written}，各县区草稿（{count}份）的{how}为{expected}",
         "各县区的数：{listed}；核对汇总数，或核对县区草稿（县区的数改过后要重新汇总）"),
    Rule("rollup/missing", E, "县区草稿中没有要汇总的指标", "县区草稿“{county}”中没有指标“{metric}”，无法汇总“{name}”",
         "县区草稿中的指标要与 rollup.metric（省略时为本指标的编号或名称）相同；名称不同的写同一个 id"),
    Rule("rollup/unit", E, "县区草稿中的指标单位无法换算", "县区草稿“{county}”中的“{metric}”是{found}，无法换算成{unit}"),
    Rule("rollup/unusable", E, "县区草稿无法使用", "县区草稿“{county}”无法使用：{reason}"),
    Rule("rollup/no-drafts", E, "没有找到要汇总的县区草稿", "“{name}”要汇总的县区草稿“{drafts}”一份也没有找到",
         "rollup.drafts 写相对于本草稿所在目录的路径，可用通配符，如“../县区/*.yaml”"),
    Rule("baseline/invalid", E, "基线文件有误", "基线文件有误：{detail}",
         "基线文件由 reporttool baseline 写出，只应改动各条的 reason；可删去后重新运行 reporttool baseline", True),
    # --- 版头 and 版记 (GB/T 9704 7.2, 7.4) ---------------------------------------------------
    Rule("meta/doc-number", E, "发文字号的写法不合 GB/T 9704 7.2.5", "发文字号“{value}”应写成“机关代字〔年份〕序号号”",
         "如“某教体〔2026〕12号”：年份用六角括号〔〕、写全四位，序号不编虚位（不写 012）、不加“第”",
         variants=(("brackets", "发文字号“{value}”的年份用了“{found}”，应用六角括号〔〕"),
                   ("year", "发文字号“{value}”的年份“{found}”应写全四位"),
                   ("di", "发文字号“{value}”的序号前不加“第”"),
                   ("zero", "发文字号“{value}”的序号不编虚位（不写 0 开头）"))),
    Rule("meta/signer", W, "上行文没有标注签发人", "报送“{recipient}”的报告有发文字号，是上行文，应标注签发人",
         "在 meta 中写 signer: 签发人姓名（GB/T 9704 7.2.6：与发文字号同行，居右空一字）"),
    Rule("meta/print-date", W, "印发日期早于成文日期", "印发日期 {printed} 早于成文日期 {written}",
         "公文先成文、后印发：核对两个日期"),
    # --- the PDF ------------------------------------------------------------------------
    Rule("pdf/font-substituted", W, "转 PDF 时本机没有公文字体，用了同类的免费字体",
         "PDF 中用免费字体代替了本机没有的公文字体：{pairs}",
         "Word 文档中仍是公文字体，装有公文字体的电脑打开时照常显示；要在 PDF 中使用公文字体，请在本机安装它们"),
    Rule("pdf/font-missing", W, "转 PDF 时既没有公文字体，也没有所列的替代字体",
         "本机没有“{official}”，也没有版式中为它列出的替代字体（{faces}）：PDF 中这部分文字的字体由 LibreOffice 自行选择，"
         "可能与其他标题级别分不清",
         "{hint}"),
    Rule("pdf/fonts-unknown", W, "无法查询本机已安装的字体",
         "无法查询本机已安装的字体（没有 fc-list），PDF 中的字体由 LibreOffice 自行选择，没有按版式替代",
         "安装 fontconfig（Debian/Ubuntu：apt-get install fontconfig）"),
    # --- the printed pages (reporttool proof) ----------------------------------------------
    Rule("layout/blank-page", E, "空白页", "第{page}页是空白页",
         "检查是否有多余的分页符或空段落；附件只有名称时不另排空白页"),
    Rule("layout/signature-alone", E, "一页只有署名和成文日期", "第{page}页只有署名和成文日期，没有正文",
         "GB/T 9704 7.3.5.4：不得出现只有署名和成文日期而无正文的一页；删减或调整正文末尾的文字，使末行与署名同页"),
    Rule("layout/heading-last", E, "标题排在页末（背题）", "第{page}页最后一行是标题“{text}”，它的正文在下一页",
         "标题应与下段同页：检查版式中该级标题的 keep_with_next，或在标题前增删文字"),
    Rule("layout/short-page", W, "正文续排的一页没有排满", "第{page}页只排了{lines}行正文，每面应为{expected}行",
         "正文接着排在下一页，这一页却没有排满：常见原因是版式开了孤行控制（widow_control）或段中不分页（keep_together）"),
    Rule("layout/line-chars", W, "满行的字数不是每行规定的字数",
         "第{page}页第{row}行（“{text}”）排了{chars}个字，满行应为{expected}个字",
         "检查版式中的字号、字距（grid.char_spacing_pt）和页边距：GB/T 9704 5.2.3 要求每行28个字"),
    Rule("layout/folio", E, "页码缺失、页序不对、位置不对", "第{page}页没有页码",
         "页码在版心下边缘之下，单页居右、双页居左（GB/T 9704 7.5）：检查版式中的 page_number",
         variants=(("missing", "第{page}页没有页码"), ("number", "第{page}页的页码是{number}"),
                   ("side", "第{page}页的页码应{side}，实际{found}"),
                   ("position", "第{page}页的页码在版心下边缘之下约{below}毫米，应约为{expected}毫米"))),
    Rule("layout/record-page", W, "版记不在最后一个偶数页", "版记排在第{page}页，是单数页",
         "GB/T 9704 7.4.1：版记置于最后一页（封四，偶数页）；双面印刷时在版记前加一页，使它落在偶数页",
         variants=(("not-last", "版记排在第{page}页，不是最后一页（共{count}页）"),)),
    Rule("layout/row-split", E, "表格的一行跨了两页", "第{page}页的表格有一行（“{text}”）跨到了下一页",
         "表格的一行不应跨页：检查表格是否设置了“允许跨页断行”，或缩短该行的文字"),
    # --- the tool itself ---------------------------------------------------------------
    Rule("internal/error", E, "reporttool 内部错误", "内部错误：{detail}",
         "这是 reporttool 的问题，不是草稿的问题；请附上 --debug 的输出报告", True),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}

# metric/unknown-unit when a known unit is close: suggest it first, then how to add the new one.
UNKNOWN_UNIT_NEAR = ('是否应为“{near}”？如果“{add}”是要用的量词，在 reporttool.toml 的 [units] 下登记它：'
                     '"{add}" = "{kind}"（一种新的{kind_title}单位），或 "{add}" = {{base = "{base}"}}（与“{base}”相加）')
# metric/announced-count: what was counted, and where (a part by its role when it has no heading)
COUNTED = {"items": "项", "sections": "节", "sequence": "项（一是、二是……）"}
COUNTED_KINDS = {"items": "条目", "sections": "节"}
PLACES = {"profile": "基本情况", "achievements": "工作成效", "problems": "存在问题", "plans": "下一步计划"}
PLACE_FORMS = {"part": "“{name}”部分", "section": "“{name}”一节", "item": "“{name}”一条",
               "part-unnamed": "本部分", "section-unnamed": "本节", "item-unnamed": "本条"}
# layout/folio: where a folio stands
SIDES = {"left": "居左", "right": "居右", "center": "居中"}
# metric/ref: a `previous` that reads as a number with a unit, not a metric's name
PREVIOUS_AS_NUMBER = "上年值是数字时直接写数字（单位与本指标相同），不加单位和引号，如 previous: {number}"
# metric/ref: 【名称：上年】 of a metric whose last-year figure is another metric
PREVIOUS_ELSEWHERE = "这个指标的上年数是另一个指标“{ref}”：正文请直接写【{ref}】"


def make(rule_id: str, file: str, line: int = 0, column: int = 0, *, path: str = "",
         source_line: str | None = None, severity: Severity | None = None,
         hint: str | None = None, variant: str | None = None, **fields) -> Problem:
    """Build a Problem from the catalogue; `fields` fill the message and hint templates."""
    rule = RULES[rule_id]
    template = dict(rule.variants)[variant] if variant else rule.message
    message = template.format(**fields)
    if hint is None:
        template = dict(rule.variant_hints).get(variant, rule.hint) if variant else rule.hint
        hint = template.format(**fields) if template is not None else None
    return Problem(file=file, line=line, column=column, severity=severity or rule.severity,
                   rule=rule_id, message=message, hint=hint or None, path=path,
                   source_line=source_line, fatal_io=rule.fatal_io,
                   fields=tuple(sorted((name, str(value)) for name, value in fields.items()
                                       if name not in POSITION_FIELDS)))


# Template fields that are places in the file, not what was found there.
POSITION_FIELDS = frozenset({"first_line", "first_column", "lines", "line", "column"})


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


# What an operating-system error means, in the writer's words (never the C library's English).
_OS_ERRORS = {
    "EACCES": "权限不足", "EPERM": "权限不足", "EISDIR": "这是一个目录", "ENOTDIR": "路径中有一段不是目录",
    "ENAMETOOLONG": "文件名过长", "ELOOP": "符号链接循环", "EIO": "读写错误", "ENOSPC": "磁盘空间不足",
    "EDQUOT": "磁盘配额已用完", "EROFS": "只读文件系统", "ENOENT": "文件或目录不存在", "EEXIST": "文件已存在",
    "EBUSY": "文件正被占用", "ETXTBSY": "文件正被占用", "EFBIG": "文件过大", "EMFILE": "打开的文件过多",
    "EXDEV": "不能跨磁盘移动",
}


# tomllib's reasons (Python 3.11–3.13), most specific first; its own words follow when none fits
_TOML_ERRORS = (
    ("Expected ']]' at the end of an array declaration", "[[表数组]] 的名称后缺少“]]”"),
    ("Expected ']' at the end of a table declaration", "[表] 的名称后缺少“]”"),
    ("Expected '=' after a key in a key/value pair", "键的后面缺少“=”"),
    ("Expected newline or end of document after a statement", "一行只能写一项，此后应换行"),
    ("Invalid initial character for a key part", "键名的开头不对（键名由字母、数字、-、_ 组成，其他的加引号）"),
    ("Invalid statement", "这一行不是“键 = 值”或 [表]"),
    ("Invalid value", "值的写法不对（文字要加引号，如 \"warning\"）"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Unclosed array", "列表缺少结尾的“]”"),
    ("Unclosed inline table", "内联表缺少结尾的“}”"),
    ("Cannot declare", "同一个表或键写了两次"),
    ("Cannot overwrite a value", "同一个键写了两次"),
    ("Cannot mutate", "不能给已写定的表或值再加内容"),
    ("Illegal character", "含有不允许的字符（如制表符以外的控制字符）"),
    ("Found invalid character", "含有不允许的字符"),
    ("Invalid date or datetime", "日期或时间的写法不对"),
)


def toml_reason(exc: Exception) -> tuple[str, int, int]:
    """(Chinese reason, line, column) of a tomllib.TOMLDecodeError; line 0 when it names none."""
    text = str(exc)
    where = re.search(r"\(at line (\d+), column (\d+)\)", text)
    line, column = (int(where.group(1)), int(where.group(2))) if where else (0, 0)
    plain = text[: where.start()].strip() if where else text
    reason = next((chinese for english, chinese in _TOML_ERRORS if plain.startswith(english)), None)
    return reason or f"TOML 语法错误（{plain}）", line, column


def os_reason(exc: OSError) -> str:
    """The Chinese reason for an OSError (权限不足, 磁盘空间不足 …), or its own words when unknown."""
    import errno

    name = errno.errorcode.get(exc.errno) if isinstance(exc.errno, int) else None
    return _OS_ERRORS.get(name or "") or exc.strerror or type(exc).__name__
