"""The DOT drawing's measures, limits and colours, in one place for the modules that write it
(dot.py and the writer's parts it inherits from)."""

from __future__ import annotations

from ..model import END_ARROW, END_CIRCLE, END_CROSS, END_NONE

FONT = "Noto Sans CJK SC"  # a CJK-capable font; the same family measures (dot) and draws (SVG)

# Above this many nodes, a chart drawn along dot's own ranks (no lanes, not wrapped) has network
# simplex and crossing minimisation capped: the layout is a little less tidy and dot is many times
# faster; see bench/bench_render.py. A banded drawing (lanes, or a long flow wrapped) needs no cap:
# its ranks are the bands, a few dozen even at 1,000 stages, and dot lays it out faster than the
# capped layered one (1,000 stages in five lanes: about 0.4 s against 0.9 s).
LARGE_CHART_NODES = 300
EXTENT_SAMPLE = 200  # stages a large chart's mean extent is measured on (dot_bands._measure_extents)

# Lines of DOT text passed on at a time when the text goes to Graphviz as it is written (see
# stream_dot): about 16 KB, so `dot` reads and parses a large chart while the rest is written.
STREAM_LINES = 256

# Above this ratio of length to breadth (estimated before the layout, see _extents), a long flow
# wraps into rows (or columns), so that no drawing is more than about 5:1.
WRAP_ASPECT = 5.0
# Where the estimate may be wrong, a chart of no more stages than this is laid out unwrapped
# first (one layout more, of a small chart, before the first line of the drawing's text), and
# dot's drawing decides:
# - a flow down the page without lanes that the estimate would wrap stays one column when dot
#   draws it within WRAP_ASPECT - DRAWN_MARGIN: its breadth is what the estimate misses (branches
#   side by side, the bows of loops back). Of the 4,920 drawings down the page of
#   bench/wrap_estimate.py, 691 were wrapped that dot draws unwrapped under 5:1 (539 without
#   lanes), 188 now (36 without lanes); seed 31337's generated-242, 15 stages, was wrapped
#   though drawn 1.9:1 unwrapped. The margin covers what a repair after the layout may add
#   (reroute.py);
# - a drawing the estimate keeps unwrapped, less than NEAR_BAR under its bar, wraps when dot
#   draws it over WRAP_ASPECT:1 all the same (seed 55555's generated-106, three lanes across
#   the page, estimated 4.96:1, drawn 5.4:1).
UNWRAPPED_TRIAL_MOST = 40
DRAWN_MARGIN = 0.2
NEAR_BAR = 0.5
# A loop back drawn beside a flow down the page without lanes (estimated the mean way, see
# dot_bands._extents) bows out the further, the more ranks it spans: on the 1,472 such unwrapped
# drawings of bench/wrap_estimate.py's seeds with a loop back, dot drew them a median 30 pt
# broader than estimated with a loop over one rank, 135 pt over six, 240 pt over ten and 400 pt
# over twenty, while the estimate counted the loop's label only. Each rank the longest loop spans
# past LOOP_BOW_FROM now counts LOOP_BOW_PER_RANK points, well under the median: the span alone
# leaves most of the spread unexplained (a loop over a dozen ranks is drawn a few points or some
# 500 pt out, as dot sets its label close by or far beside the labels of the links it passes),
# and 5 points a rank made a strip of a chart drawn 5.3:1 on a seed not measured here. So, 47
# of the 736 needless wraps down the page stay one column (18 of 273 on seeds 90210 and 123456),
# no drawing over 5:1 is estimated under 5.2:1 for it, and none is drawn over 5:1.
LOOP_BOW_PER_RANK = 4
LOOP_BOW_FROM = 2
# Points a lane's band takes past its first and last stages that the estimate of its stages'
# room leaves out: the band's invisible first and last anchors (see _band_anchors), each a node's
# spacing past its stage, and the lane's margins. Measured on the unwrapped lane charts without
# loops of tests/generated_charts.py's charts(400) and charts(400, 1): drawn a median 35 to 95 pt
# longer than estimated (by direction, plain or highlighted). With 60, two of those 3,200
# drawings wrap that did not (both drawn 4.7:1 unwrapped); see _lane_ends.
LANE_ENDS = 60
ONE_LANE_MARGIN = 0.25  # a lone lane down the page wraps this far under WRAP_ASPECT (dot_bands._one_lane_margin)
ONE_LANE_BROAD = 150  # points: the broadest stage of a lone lane the margin applies to
# A lone lane down the page that is one path (each stage linked to the next, nothing else), as
# dot draws it (see dot_bands._lane_path_extent), measured on the 306 such drawings of
# bench/wrap_estimate.py's seeds: its stages and the band's two anchors sit in one rank,
# LANE_STAGE_GAP apart (nodesep), or LANE_LABEL_GAP apart when any link carries text (dot then
# leaves room for a label between every two), and LANE_LABEL_LINE more for each line of a link's
# text past its first; the lane's margins, its title, the chart's title and the legend (see
# _frame) take LANE_PATH_ENDS more along the lane, and LANE_MARGINS across it. Counted so, the
# aspect is within 0.3 under and 1.2 over what dot draws; near the bar, those drawn over 5:1
# are counted 5.25:1 or more, those drawn under it 4.99:1 or less, so such a lane wraps above
# WRAP_ASPECT itself, without the margin of _one_lane_margin.
LANE_STAGE_GAP = 25
LANE_LABEL_GAP = 50
LANE_LABEL_LINE = 10
LANE_PATH_ENDS = 38
LANE_MARGINS = 36
# A flow down the page drawn as one column, as dot draws it (see dot_bands._column_extent),
# measured on the unwrapped columns of charts(400) and charts(300) of seeds 424242, 7 and
# 20261203: a box is BOX_MARGINS and BOX_LINE a line of text high (a line of owner and deadline,
# or of a tag, counted as _stage_text counts it), BOX_LEAST_HEIGHT at the least, a diamond twice
# that; two stages are COLUMN_GAP apart, and COLUMN_LABEL_LINE more for each line of their link's
# label, COLUMN_LABEL_STACK more for a label of several lines (stacked in a table whose cells
# keep room round them); the title, the legend (see _frame) and the drawing's margins take
# COLUMN_ENDS more. A label's text is DRAWN_COLUMN_EM of its size a column wide (a CJK character,
# two columns, one em), a little under the 0.55 that wraps and places labels with room to spare.
BOX_MARGINS = 15.6
BOX_LINE = 13
BOX_LEAST_HEIGHT = 36
COLUMN_GAP = 33
COLUMN_LABEL_LINE = 10
COLUMN_LABEL_STACK = 6
COLUMN_ENDS = 8
DRAWN_COLUMN_EM = 0.5
# The title's and the legend's table keeps FRAME_MARGINS points beside its widest line, with the
# drawing's margins; a count of the legend takes LEGEND_SWATCH beside its words (its swatch and
# the spacing round it and its words).
FRAME_MARGINS = 26
LEGEND_SWATCH = 26
# A link past stages of such a column takes no room along it, but dot sets the stages it passes
# aside: the column is then at least as broad as half its broadest stage, half the broadest it
# passes and COLUMN_PAST_SKIP (61 to 146 pt as drawn on the 34 columns with such links of
# charts(400) of seeds 7 and 424242). Short of what dot draws, it keeps the aspect counted a
# little over dot's (by 0.06 to 2.4 on those columns), so such a column wraps too often rather
# than too seldom, but far less often than the mean stage's estimate, which took generated-051
# of charts(400, 7), drawn 294 x 988 pt (3.4:1), for 7.2:1.
COLUMN_PAST_SKIP = 50
# A flow across the page drawn as one row, as dot draws it (see dot_bands._measure_row), measured
# on the unwrapped rows of charts(400) of seeds 7 and 424242 (dot's own layout, its drawing's
# box without the page's margins): a box is ROW_STAGE_COLUMN points a column of its widest line
# (a CJK character 12 pt) and ROW_STAGE_MARGINS wide, a diamond ROW_DIAMOND_COLUMN and
# ROW_DIAMOND_MARGINS, ROW_LEAST_WIDTH at the least. Two stages are ROW_GAP apart (ranksep), and
# a labelled link between them ROW_LABEL_GAP more than its label's widest line (dot halves
# ranksep and gives the label a rank of its own, its 4-point clearance included). A label sits
# above the row's middle line, ROW_LABEL_LINE a line and ROW_LABEL_OFF_LINE more; a link past
# stages bows ROW_BOW (nodesep) below those it passes, its label under its bow. The title and
# the legend (see _frame) take ROW_FRAME_EXTRA more. Counted so, the row's aspect is within
# 0.2 of what dot draws (of 1,010 rows of the six seeds of bench/wrap_estimate.py, those drawn
# between 3.5:1 and 7:1): it wraps above WRAP_ASPECT - ROW_MARGIN.
ROW_STAGE_COLUMN = 6.0
ROW_STAGE_MARGINS = 28.8
ROW_DIAMOND_COLUMN = 12.9
ROW_DIAMOND_MARGINS = 32
ROW_LEAST_WIDTH = 54
ROW_GAP = 32
ROW_LABEL_GAP = 38
ROW_LABEL_LINE = 12
ROW_LABEL_OFF_LINE = 3
ROW_BOW = 25
ROW_FRAME_EXTRA = 8
ROW_MARGIN = 0.3
# The shape a wrapped chart aims at: this much longer along the flow than across it.
WRAP_TARGET = 1.6
# Label text wraps at this many columns (a CJK character takes two), in a decision or other
# narrow shape at the second. A short flow running across the page that would still be a strip
# above COMPACT_ASPECT:1 (the estimate's margin under 5:1) gets narrower, taller boxes instead:
# a chain of two or three stages cannot wrap into rows, and would only be a wider strip.
LABEL_COLUMNS = (26, 18, 24)  # a label, a label in a narrow shape, the owner and deadline line
COMPACT_LABEL_COLUMNS = (16, 12, 14)  # 16: `客户说 "太贵了"` and the like stay on one line
COMPACT_ASPECT = 4.0
COMPACT_MOST_RANKS = 4  # "short": this many stages along the flow, or fewer
NARROW_SMALLEST_PT = 11.0  # the smallest text of a narrow drawing (Options.narrow)
# Columns of an edge label, a note under it, a highlight tag, a lane's title, the chart's title:
# as drawn, and narrow.
TEXT_COLUMNS = {"edge": 22, "note": 24, "tag": 24, "lane": 30, "title": 200}
NARROW_TEXT_COLUMNS = {"edge": 10, "note": 12, "tag": 14, "lane": 14, "title": 20}
NARROW_LABEL_COLUMNS = (12, 10, 12)
# Columns a highlight tag wraps at in a label set beside a column of stages down the page: a
# loop's label beside its lane, a hand-off's in the space between two lanes. `⚠ handoff-` over
# `without-note` is half as wide as the tag on one line, and finds room in a lane's margin or
# between the lanes where the one line did not (measured: see dot.py _beside_column).
BESIDE_COLUMN_TAG_COLUMNS = 14
BAND_WEIGHT = 100  # how hard the bands' first (and last) anchors pull into one line
BAND_GAP = 45  # points between bands, estimated: edge labels sit there
LOOP_LABEL_PULL = 10  # how hard a loop's label is pulled towards the stages it joins
LABEL_CLEARANCE = 4  # points between a label's text and its link, at the least (see _clear_of_link)
# In a narrow drawing, where a label is set right of its link: every point there widens the
# phone's picture (4 pt made renewal-duplicates-en's one-stage-a-row drawing 8 pt wider).
NARROW_LABEL_CLEARANCE = 2
# Beside a link between neighbours of a column, a label's text has the half of the column its
# widest stage takes, as far as that stage is sure to reach, and ROOM_PAST_COLUMN points past it
# (see _room_beside). Sure to reach: the least width dot gave a stage of each shape, over the
# estimate (_stage_extent), measured on the layout corpus and 80 generated charts (a box 0.76,
# a diamond 1.38 times the estimate; other shapes are taken as boxes). Past it: about the space
# dot leaves between columns (ranksep, 32 pt); on the generated charts, up to 40 met no stage,
# label or edge of the picture. A label that would have to wrap narrower than
# NARROWEST_LABEL_COLUMNS to fit is left as dot draws it.
DRAWN_OVER_ESTIMATED = {"diamond": 1.35}
ROOM_PAST_COLUMN = 30
NARROWEST_LABEL_COLUMNS = 8
# dot draws a link past stages of a lane drawn as a column as an arc bowing left, about
# ARC_PAST_LABEL_EDGE points right of its label's left edge when the label is wider than tall,
# whatever its width (through its middle when it is not): see _clear_of_arc.
ARC_PAST_LABEL_EDGE = 28
# dot lets a link run this many points into the side of the space it keeps for the link's label
# where the text goes (see _clear_of_link).
SPLINE_INTO_LABEL = 10
# A link between neighbouring rows whose stages lie this share of the rows' length apart or more
# runs shallow enough to cross SPLINE_INTO_LABEL points into its label (see _shallow_between_rows).
SHALLOW_ACROSS_ROWS = 0.5
ARC_LABEL_ROOM = 36
# A short label of a link past stages of a column is made this many points wider than tall (see
# _clear_of_arc): barely wider, the arc ran through its middle where the stage it passes is a
# wide one (generated-036, generated-078 flipped of tests/generated_charts.py's charts(300, 424242)).
ARC_LABEL_WIDER_THAN_TALL = 8
ARC_ROOM_OVER_LABEL = 40  # see _clear_over_arc
JUMP_SPAN = 1  # with Options.jumps, the most bands a link forward crosses drawn as a line
# With Options.jumps, the size of a band's last anchor and the room between the marks, anchors
# and stage of a band: together as wide as the room a narrow drawing leaves, 0.05 in a gap (see
# _band_anchors).
JUMP_ANCHOR_INCHES = 0.12
JUMP_NODESEP_INCHES = 0.02  # the least dot allows

INK = "#1f2933"
MUTED = "#52606d"
LINE = "#5b7083"
EDGE_INK = "#4b5563"

SEVERITY_COLOURS = {  # line colour, fill colour
    "error": ("#c92a2a", "#fde8e8"),
    "warning": ("#d9822b", "#fff3dc"),
    "info": ("#2f6fbf", "#e7f0fb"),
}
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

LANE_FILLS = ("#eef4fb", "#f1f7ec", "#fdf3e7", "#f4effa", "#ebf6f6", "#fbeff1")
LANE_BORDERS = ("#9fb6d3", "#a9c79a", "#e2b98a", "#bca7d9", "#94c8c8", "#dba5b1")
GROUP_FILL = "#f7f8fa"
GROUP_BORDER = "#b6c2cf"

_ARROWS = {END_NONE: "none", END_ARROW: "normal", END_CIRCLE: "dot", END_CROSS: "tee"}
