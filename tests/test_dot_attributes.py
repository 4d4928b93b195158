"""The attribute lists of dot's `-Tdot` text, read and rewritten (salesflow/render/dot_attributes.py):
what the repairs put their new positions into."""

from __future__ import annotations

import json
import subprocess

from conftest import require_binary

from salesflow.render import relabel, reroute
from salesflow.render.dot_attributes import attribute_lists, decoded, with_attributes

# A label that holds `];`, quotes and a comma before the position: found as text, the search for
# the node's `pos` stopped inside its label.
TRICKY = r'''digraph {
	graph [bb="0,0,300,100"];
	node [label="\N"];
	a	[height=0.5,
		label="say \"hi\"]; pos=\"9,9\", then",
		pos="50,50",
		width=1];
	b	[height=0.5,
		label=<<B>x]; &quot;y&quot;</B>>,
		pos="250,50",
		width=0.75];
	"c \"d\""	[label="c", pos="150,90", width=0.5];
	a -> b	[id="sf-edge-0",
		label="id=\"sf-edge-1\"];",
		lp="150,60",
		pos="e,223,50 86,50 125,50 170,50 213,50"];
}
'''


def test_each_list_is_read_with_its_statement_past_quotes_and_html() -> None:
    lists = list(attribute_lists(TRICKY))
    assert [listed.head for listed in lists] == [
        ("graph",), ("node",), ("a",), ("b",), ('c "d"',), ("a", "->", "b"),
    ]
    a, b = lists[2], lists[3]
    assert sorted(a.values) == ["height", "label", "pos", "width"]
    start, end, quoted = a.values["pos"]
    assert TRICKY[start:end] == '"50,50"' and quoted
    start, end, quoted = b.values["label"]
    assert TRICKY[start:end] == "<<B>x]; &quot;y&quot;</B>>" and not quoted
    assert decoded(TRICKY[slice(*a.values["label"][:2])]) == 'say "hi"]; pos="9,9", then'


def test_a_position_is_set_on_the_node_and_edge_asked_for_and_nowhere_else() -> None:
    fixed = with_attributes(TRICKY, {
        ("node", "a"): {"pos": "60,40", "width": "1.2500"},
        ("node", 'c "d"'): {"pos": "160,80"},
        ("id", "sf-edge-0"): {"lp": "150,20"},
        ("id", "sf-edge-1"): {"lp": "1,1"},  # only named inside a label: nothing to set
    })
    assert 'label="say \\"hi\\"]; pos=\\"9,9\\", then",\n\t\tpos="60,40",\n\t\twidth=1.2500];' in fixed
    assert '"c \\"d\\""\t[label="c", pos="160,80", width=0.5];' in fixed
    assert 'label="id=\\"sf-edge-1\\"];",\n\t\tlp="150,20",' in fixed
    assert fixed.count('"1,1"') == 0
    assert with_attributes(TRICKY, {}) == TRICKY


def test_an_attribute_a_list_lacks_is_added() -> None:
    assert with_attributes('digraph { a -> b [id="e"]; }', {("id", "e"): {"lp": "1,2"}}) == (
        'digraph { a -> b [id="e",lp="1,2"]; }'
    )


def test_graphviz_draws_the_positions_written_into_its_own_text() -> None:
    # Through the repairs' own writers: a route's new `pos` for the edge and a moved label's `lp`.
    require_binary("dot")
    require_binary("neato")
    source = (
        'digraph { a [shape=box, label="say \\"hi\\"]; then"]; b [label=<x]; &quot;y&quot;>];'
        ' a -> b [id="sf-edge-0", label="go\\"]; on"]; }'
    )
    laid_out = subprocess.run(["dot", "-Tdot"], input=source.encode(), capture_output=True, check=True).stdout.decode()
    route = reroute.Route("sf-edge-0")
    route.positions["sf-edge-0"] = "e,70,36 70,87 70,75 70,60 70,46"  # dot drew it at x 59.5
    route.moved_nodes["a"] = (65.0, 100.0)  # dot set it at 59.5,105
    fixed = relabel.moved_dot(reroute.repaired_dot(laid_out, [route]), [relabel.Move("sf-edge-0", "sf-edge-0", 30, 60)])
    drawn = json.loads(subprocess.run(["neato", "-n2", "-Tjson"], input=fixed.encode(), capture_output=True, check=True).stdout)
    nodes = {obj["name"]: obj for obj in drawn["objects"]}
    assert nodes["a"]["pos"] == "65,100"
    edge = drawn["edges"][0]
    assert edge["pos"].startswith("e,70,36 70,87") and edge["lp"] == "30,60"
