"""Shape names Mermaid 11 accepts in `A@{ shape: … }` (aliases included), checked against Mermaid 11.17."""

MERMAID_SHAPES = frozenset(
    """
    rect rounded stadium fr-rect subproc framed-rectangle subroutine cyl cylinder database db circle
    circ dbl-circ double-circle diam diamond decision question hex hexagon prepare lean-r lean-right
    in-out lean-l lean-left out-in trap-b trapezoid priority trapezoid-bottom trap-t inv-trapezoid
    trapezoid-top manual fork join hourglass collate bolt com-link lightning-bolt brace comment
    brace-l brace-r braces doc document docs documents st-rect stacked-rectangle processes procs odd
    flag paper-tape lin-rect lined-rectangle lined-process lin-proc shaded-process sm-circ
    small-circle start stop f-circ filled-circle junction fr-circ framed-circle cross-circ
    crossed-circle summary tri triangle extract notch-pent loop-limit notched-pentagon notch-rect
    notched-rectangle card h-cyl horizontal-cylinder das lin-cyl disk lined-cylinder curv-trap
    curved-trapezoid display delay text div-rect divided-rectangle div-proc divided-process tag-rect
    tagged-rectangle tag-proc tagged-process tag-doc tagged-document lin-doc lined-document win-pane
    window-pane internal-storage bow-rect bow-tie-rectangle stored-data sl-rect sloped-rectangle
    manual-input half-rounded-rectangle anchor icon
    """.split()
)
