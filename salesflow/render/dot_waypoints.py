"""Links drawn as parts, for the DOT writer (dot.py): a link between lanes that are not next to
each other runs through a waypoint in each lane between; links past rows and across rows of a
wrapped flow, and links between lanes that need their own label node, are written as a chain of
invisible nodes and edges, with the checks that decide when a link needs that."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict

from ..model import END_ARROW, END_NONE, Edge
from .escape import dot_quote
from .dot_constants import BAND_WEIGHT, EDGE_INK, SEVERITY_COLOURS, _ARROWS
from .dot_bands import _Band
from .dot_markup import _worst, _style_attributes, _internal

TYPE_CHECKING = False  # typing only for the type checker: a short command never imports it (tests/test_startup.py)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Optional

    from .dot import Origin


def _arrow_end(kind: str, at_head: bool) -> dict[str, str]:
    """The attributes that draw an edge end of `kind` (END_ARROW, …) at the head of a DOT edge,
    or at its tail; an edge with no other end marked."""
    if kind == END_NONE:
        return {"dir": "none"}
    if at_head:
        return {} if kind == END_ARROW else {"arrowhead": _ARROWS[kind]}
    return {"dir": "back", "arrowtail": _ARROWS[kind]}


def _set_arrows(part: dict[str, str], start: str, end: str) -> None:
    """Set on `part`, one DOT edge of a link drawn in parts, the link's end `start` (END_NONE on
    every part but the first) at its tail and `end` (END_NONE but on the last) at its head."""
    if start != END_NONE:
        part.update(dir="both" if end != END_NONE else "back", arrowtail=_ARROWS[start])
    elif end == END_NONE:
        part["dir"] = "none"
    if end not in (END_NONE, END_ARROW):
        part["arrowhead"] = _ARROWS[end]


# How many stages from where the flow between a link's two stages would pass (see
# _waypoint_place) a spacer may stand (see _spacer_place): one further off sent the link along
# the lane to it and back (six-lanes-40: 否，重新谈判 from 条款通过? up to 商务谈判, through a
# spacer at the far end of 售前部).
SPACER_REACH = 1


NEAR_ROW_END = 0.3  # see _one_row_past_its_end
# How far apart across their bands (see LinkParts._across_row, 0 to 1) the two stages of a
# repeated link up between lanes may stand for its label to be pulled towards the stage it
# leaves beside other links between the same bands (see LinkParts._labelled_up_from_mid_row):
# further apart, the pull moved those links' stages (six-lanes-40, 0.23 apart).
MID_ROW_REACH = 0.2


class LinkParts:
    """Links drawn as parts and through waypoints (see the module docstring). A part of `dot._Writer`: its methods work on the writer's state."""

    def _clear_between(self, tail: str, head: str) -> bool:
        """Whether the space between the row of `tail` and the next, the row of `head`, is free
        beside the two stages of no link that goes round a row there: a loop back along the
        earlier row, or a link past stages along the later (see _edge), with `tail` or `head` in
        the stretch it spans. A label set there would sit in that link's way.

        A labelled link round a row leaves no such trouble: it runs through its own label, a
        node in the same space, and dot sets the two labels side by side and routes round both.
        Counting those too sent the labelled link between the rows out past the rows' end
        (measured on the corpus and the generated charts: detours 44 → 38 and 373 → 335;
        counting none, a loop without a label ran through the other label)."""
        if not hasattr(self, "_round_spans"):
            self._round_spans: dict[tuple[int, bool], list[tuple[int, int]]] = defaultdict(list)
            for edge, ends in self._link_ends():
                if None in ends or not (ends[0] in self.band_of and ends[1] in self.band_of) or ends[0] == ends[1]:
                    continue
                if self._is_labelled(edge):
                    continue
                places = [self.place_in_band[name] for name in ends]
                if self.band_of[ends[0]] != self.band_of[ends[1]]:
                    continue
                # Loops back go round after their row, links past stages (and a second labelled
                # link between two stages) before theirs.
                after = places[1] < places[0]
                if after or places[1] > places[0] + 1 or edge.index in self._repeated_labelled_links():
                    if self._round_the_other_side(self.band_of[ends[0]], *places, after=after):
                        after = not after
                    self._round_spans[(self.band_of[ends[0]], after)].append((min(places), max(places)))
        return not any(
            low <= self.place_in_band[stage] <= high
            for stage, after in ((tail, True), (head, False))
            for low, high in self._round_spans[(self.band_of[stage], after)]
        )

    def _round_the_other_side(self, band: int, tail: int, head: int, after: bool) -> bool:
        """Whether a link without a label round a row of a flow wrapped without lanes, from
        place `tail` to place `head` of `band`, goes round the other side of its row than its
        kind's (`after`: a loop back, round after its row; else a link past stages, before it):
        when a labelled link between its row and the next on its own side has a stage in the
        stretch it spans, and none to the row on the other side (if any: above the first row and
        below the last is the drawing's outside). That labelled link is then drawn through its
        label between the rows (see _clear_between) rather than left to dot, which ran it out
        past the rows' end (tender-bid-en: yes and no from Awarded?, with Contract negotiation's
        link past a stage round the last row's top; channel-partner-en drawn left to right: no
        from Deal conflict?, with Channel manager decides' loop back under the row). (Measured:
        detours on the layout corpus 21 → 15, the generated charts unchanged, nothing else drawn
        worse; only above the first row and below the last, 17.)"""
        if self.swimlanes or self.options.around or not self.bands or self.bands[band].lane is not None:
            return False
        neighbour = band + 1 if after else band - 1
        other = band - 1 if after else band + 1
        if not 0 <= neighbour < len(self.bands):
            return False
        low, high = min(tail, head), max(tail, head)
        if 0 <= other < len(self.bands) and any(
                low <= place <= high for place in self._labelled_ends_towards(band, other)):
            return False
        return any(low <= place <= high for place in self._labelled_ends_towards(band, neighbour))

    def _below_the_last_row(self, band: int) -> bool:
        """Whether a labelled link past stages along `band` (or the second of two labelled links
        between the same two stages) goes round below it, the last row of a flow wrapped without
        lanes, rather than above it, where the links from the row before cross to it: there its
        label, not pulled in beside its stages (a labelled link runs along the same stretch),
        was set among theirs, often at the row's far end (generated-251: 否, the second link
        from 组织产品演示与技术答疑会议？ to 开票). Below the last row the space is the
        drawing's outside, and its label is pulled in (see _edge)."""
        return (not self.swimlanes and not self.options.around and len(self.bands) > 1
                and band == len(self.bands) - 1 and self.bands[band].lane is None)

    def _labelled_ends_towards(self, band: int, other: int) -> list[int]:
        """The places in `band` of the stages that labelled links join to stages of `other`."""
        if not hasattr(self, "_ends_towards"):
            self._ends_towards: dict[tuple[int, int], list[int]] = defaultdict(list)
            for edge, ends in self._link_ends(labelled=True):
                if None in ends or not (ends[0] in self.band_of and ends[1] in self.band_of):
                    continue
                for one, two in (ends, ends[::-1]):
                    self._ends_towards[(self.band_of[one], self.band_of[two])].append(self.place_in_band[one])
        return self._ends_towards.get((band, other), [])

    def _repeated_links_between_lanes(self) -> frozenset[int]:
        """Labelled links between two neighbouring bands of lanes (or rows of one lane) that an
        earlier labelled link between the same two bands already joins, either way (`是，提交合同`
        down to 财务 and `否，修改条款` back up to 销售).

        dot routes every link between the same two clusters' ranks along one path at first, and
        when it parts them again only the first keeps a place for its label: the second's was
        set on the same spot. Through a label node of its own (see _between_lanes_through_label)
        the second link has its own path. (The alternative, keeping the last anchor of one of
        the two lanes before its stages, sent many links between the lanes out past the lanes'
        end: measured on the corpus and the generated charts, tests/geometry.py's detours.)"""
        if not hasattr(self, "_repeated_between"):
            seen: set[frozenset[int]] = set()
            repeated = set()
            for edge, ends in self._link_ends(labelled=True):
                if not (ends[0] in self.band_of and ends[1] in self.band_of):
                    continue
                bands = [self.band_of[name] for name in ends]
                lanes = [self.bands[b].lane for b in bands]
                if abs(bands[0] - bands[1]) != 1 or None in lanes:
                    continue
                pair = frozenset(bands)
                if pair in seen:
                    repeated.add(edge.index)
                seen.add(pair)
            self._repeated_between = frozenset(repeated)
        return self._repeated_between

    def _waypoints(self) -> dict[int, list[tuple[int, str, int]]]:
        """Links between lanes that are not next to each other, each with its waypoints: (band,
        invisible node inside that band's lane, the place among the band's stages it takes) for
        every lane band it crosses on the way.

        dot keeps a cluster's nodes together within each rank, and so keeps the points a link
        passes through out of every lane it merely crosses: since lanes span the drawing's whole
        length, such a link ran round the end of the lanes between (key-account-en: from the key
        account manager's lane to the service team's, round the executive sponsor's). A waypoint
        inside each lane between is a place dot may put among that lane's stages; the link is
        drawn as parts through them, straight across. A labelled link up past lanes with no
        waypoint written down the bands, as one between neighbouring lanes is (see
        _up_between_lanes), went round all the same (generated-200: feedback from Lead up past
        Presales, 3,010 pt for 850 pt) and drew more detours than it saved (133 → 136, two
        labels set over others, and one on the layout corpus: b2b-six-departments highlighted).
        Waypoints in the bands of the two ends' own lanes too, for a link between two lanes (a
        link from another lane past a row of its target's wrapped lane goes round that row as
        round another lane: generated-154, retry up past Marketing's last row): 108 → 110, that
        retry 1,787 pt → 1,191 pt for 289 pt, still round, and generated-395 sent round."""
        if not hasattr(self, "_via"):
            self._via: dict[int, list[tuple[int, str, int]]] = {}
            # In a flow wrapped without lanes (or other boxes round its stages) no cluster keeps a
            # link out of a row, but dot still sent one past rows round their end (the SaaS
            # funnel: yes, upsell, from the last row up to Proposal): a waypoint in each row between
            # holds it among the stages too (measured on the layout corpus: detours 26 → 24).
            # (Not in a narrow drawing for a phone, as for _between_rows.)
            rows = not self.swimlanes and not self.subgraphs and not self.options.narrow
            wanted = bool(self.bands) and bool(self.swimlanes or rows)
            quoted = self.stage_ends  # each stage's name quoted once (see dot._Writer)
            rank = {quoted[node_id][0] if node_id in quoted else dot_quote(node_id): value
                    for node_id, value in self._flow_ranks().items()} if wanted else {}
            for edge, ends in self._link_ends() if wanted else ():
                if edge.index in self.jumps or edge.stroke == "invisible":
                    continue
                if not (ends[0] in self.band_of and ends[1] in self.band_of):
                    continue
                low, high = self.band_of[ends[0]], self.band_of[ends[1]]
                if high < low:
                    low, high = high, low
                if high - low < 2:
                    continue  # no band between (most links): nothing to cross
                # (Inside the lane of one of its ends, a link may pass among the stages already.)
                own = {self.bands[low].lane, self.bands[high].lane}
                crossed = [band for band in self.bands[low + 1 : high]
                           if (band.lane is not None or rows) and band.lane not in own - {None}]
                middle = sum(rank.get(name, 0) for name in ends) / 2
                places = []
                for band in crossed:
                    places.append(self._waypoint_place(band, middle, rank, spacer=len(crossed) == 1))
                    if places[-1] is None:
                        places[-1] = self._before_lane_start_of_hand_off(edge, band)
                    if places[-1] is None and high - low == 2:
                        places[-1] = self._loop_back_across_a_joined_lane(edge, band, middle)
                    if places[-1] is None:
                        break
                if rows and crossed and (not places or None in places):
                    places = self._places_across_rows(edge, ends, crossed) or places
                    if places and None not in places:
                        crossed, places = self._without_row_beside_loop(edge, ends, crossed, places)
                if not crossed and (self._past_rows_of_lane(edge, ends) or self._back_past_own_rows(edge, ends)):
                    crossed = self.bands[low + 1 : high]
                    places = self._places_past_turns(ends, crossed)
                    self._past_turns_links().add(edge.index)
                elif crossed and None in places and self._back_past_lanes_without_place(edge, ends):
                    crossed = self.bands[low + 1 : high]
                    places = self._places_past_turns(ends, crossed)
                    self._past_turns_links().add(edge.index)
                elif crossed and None in places and (along := self._places_along_line(edge, ends, crossed)):
                    places = along
                elif not crossed and self._past_a_row_of_target_lane(edge, ends) and (
                        along := self._places_along_line(edge, ends, self.bands[low + 1 : high])):
                    crossed, places = self.bands[low + 1 : high], along
                if places and None not in places:
                    self._via[edge.index] = [
                        (band.index, _internal(f"via-{edge.index}-{number}"), place)
                        for number, (band, place) in enumerate(zip(crossed, places))]
        return self._via

    def _waypoint_place(self, band: _Band, middle: float, rank: dict[str, int], spacer: bool = False) -> Optional[int]:
        """Where among the stages of `band` a waypoint goes (before which of them), for a link
        whose two stages are `middle` on average in the flow (see _flow_ranks); None: nowhere.

        Where the flow between the two stages would pass: before the first of the band's stages
        that comes later in the flow than `middle`. Left for dot to place, a waypoint went to the
        lane's start, whatever the stages it joins. Not between two stages that a link joins:
        that link would then have to pass the waypoint, and dot draws it as an arc, its label
        elsewhere; the nearest gap between stages not so joined is taken instead. Never at the
        lane's end: through a waypoint there, the link went round the end all the same, with
        the lane stretched to it (measured on the layout corpus and the generated charts: 43
        detours against 26, 331 against 332). In a lane whose links carry no text, between any
        two stages (see _lane_without_text). `spacer`: else, when no gap is free, as a spacer
        (see _spacer_place). In a lane with no stages, the lane's only place: there dot had
        nothing to hold the link in the lane, and it ran round the lane's far end (generated-022:
        Lead in Sales down past an empty Presales to Onboard in Legal, 856 pt for 257 pt)."""
        if not band.nodes and band.lane is not None:
            return 0
        if not hasattr(self, "_gaps_by_band"):
            self._gaps_by_band: dict[int, tuple[list[int], list[int]]] = {}
        if band.index not in self._gaps_by_band:
            # Each stage's rank, at the latest so far along the band (a band may hold a stage
            # out of flow order: see _clusters_together); and the gaps a waypoint may take.
            latest, highest = [], None
            for stage in band.nodes:
                highest = rank.get(stage, 0) if highest is None else max(highest, rank.get(stage, 0))
                latest.append(highest)
            joined = set() if self._lane_without_text(band) else self._joined_neighbours()
            gaps = [0] + [gap for gap in range(1, len(band.nodes))
                          if frozenset(band.nodes[gap - 1 : gap + 1]) not in joined] + [len(band.nodes)]
            self._gaps_by_band[band.index] = (latest, gaps)
        latest, gaps = self._gaps_by_band[band.index]
        wanted = bisect_right(latest, middle)  # before the first stage later than `middle`
        after = bisect_left(gaps, wanted)
        nearest = [gaps[after - 1]] if after else []
        if after < len(gaps):
            nearest.append(gaps[after])
        gap = min(nearest, key=lambda gap: (abs(gap - wanted), gap))
        if gap in (0, len(band.nodes)):
            return self._spacer_place(band, wanted) if spacer else None
        return gap

    def _spacer_place(self, band: _Band, wanted: int) -> Optional[int]:
        """Where among the stages of `band`, a lane's band with no gap free for a waypoint (see
        _waypoint_place), a waypoint goes all the same, as a spacer: the gap before stage
        `wanted`, or the nearest, between two stages joined only by links forward without text.
        Those links run through the waypoint too (see _links_past_spacers), straight along the
        band, and cross the link across at that point. None: no such gap.

        In a lane whose every two neighbours a link joins, the link across had no other place
        than the lane's end, and went round it (generated-177: retry from Presales back past
        Sales to Marketing, round Sales' far end). Only for a link past one lane, within
        SPACER_REACH of where it would pass, and not beside a stage that a labelled link along
        the band joins nor under an arc: there the labels along the lane moved onto stages, and
        past two lanes or further off the links ran longer than round the end (measured on the
        generated charts, tests/generated_charts.py: detours 189 → 184, nothing else drawn
        worse; beside labelled links, other labels set over stages; past two lanes, 186; the
        layout corpus unchanged). Allowed beside a stage whose labelled links along the band
        only run forward to a neighbour, or within three stages, no fewer detours (measured
        against 133: generated-200's feedback through a spacer beside labelled links along
        Presales ran longer still, 4,469 pt for 872 pt, and sent the loop lost round too, 133
        in all; within three stages, 133, generated-379's 反馈 still round the end)."""
        if band.lane is None:
            return None
        joining = self._forward_links_between_neighbours()
        gaps = [gap for gap in range(1, len(band.nodes))
                if joining.get(frozenset(band.nodes[gap - 1 : gap + 1]), ())
                and frozenset(band.nodes[gap - 1 : gap + 1]) not in self._other_links_between_neighbours()
                and not any(low < gap <= high for low, high in self._arcs_along(band.index))
                and not set(band.nodes[gap - 1 : gap + 1]) & self._stages_with_labelled_links_along()]
        gap = min(gaps, key=lambda gap: (abs(gap - wanted), gap), default=None)
        if gap is None or abs(gap - wanted) > SPACER_REACH:
            return None
        self._spacer_gaps().add((band.index, gap))
        return gap

    def _arcs_along(self, band: int) -> list[tuple[int, int]]:
        """The places along `band` that each link forward past stages spans, drawn by dot as an
        arc over them (see _bands_with_arcs): a spacer under such an arc had the arc's label set
        over the arc's own line (generated-157: 否 from 评审？ past 季度业务回顾与续约意向确认)."""
        if not hasattr(self, "_arc_spans"):
            self._arc_spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for edge, ends in self._link_ends():
                if all(name in self.band_of for name in ends) and self.band_of[ends[0]] == self.band_of[ends[1]]:
                    low, high = (self.place_in_band[name] for name in ends)
                    if high - low > 1:
                        self._arc_spans[self.band_of[ends[0]]].append((low, high))
        return self._arc_spans.get(band, [])

    def _stages_with_labelled_links_along(self) -> set[str]:
        """The stages a labelled link joins to another stage of their band."""
        if not hasattr(self, "_labelled_along_stages"):
            self._labelled_along_stages: set[str] = set()
            for edge, ends in self._link_ends():
                if (self._is_labelled(edge) and all(name in self.band_of for name in ends)
                        and self.band_of[ends[0]] == self.band_of[ends[1]]):
                    self._labelled_along_stages.update(ends)
        return self._labelled_along_stages

    def _spacer_gaps(self) -> set[tuple[int, int]]:
        """The gaps (band, before which stage) that _spacer_place gave a waypoint."""
        if not hasattr(self, "_spacers"):
            self._spacers: set[tuple[int, int]] = set()
        return self._spacers

    def _links_between_neighbours(self) -> Iterator[tuple[Edge, list[str], bool]]:
        """Every link between two neighbouring stages of one band, with its ends' DOT names and
        whether it runs forward along the row as a drawn link between the stages themselves (not
        invisible, not to a lane's frame, not jumping): the links a spacer between those two
        stages would stand in the way of."""
        for edge in self.process.edges:
            ends = [self._endpoint(edge.source, edge, True), self._endpoint(edge.target, edge, False)]
            names = [name for name, _cluster in ends]
            if not all(name in self.band_of for name in names) or self.band_of[names[0]] != self.band_of[names[1]]:
                continue
            step = self.place_in_band[names[1]] - self.place_in_band[names[0]]
            if abs(step) != 1:
                continue
            forward_in_row = (step == 1 and edge.stroke != "invisible"
                              and not any(cluster for _name, cluster in ends) and edge.index not in self.jumps)
            yield edge, names, forward_in_row

    def _forward_links_between_neighbours(self) -> dict[frozenset[str], list[int]]:
        """Links without text from a stage to the next along its band (by their two stages' DOT
        names): the links a spacer may stand in the way of (see _spacer_place)."""
        if not hasattr(self, "_forward_plain"):
            self._forward_plain: dict[frozenset[str], list[int]] = defaultdict(list)
            self._other_between: set[frozenset[str]] = set()
            for edge, names, forward_in_row in self._links_between_neighbours():
                plain = forward_in_row and not self._is_labelled(edge)
                if plain:
                    self._forward_plain[frozenset(names)].append(edge.index)
                else:
                    self._other_between.add(frozenset(names))
        return self._forward_plain

    def _other_links_between_neighbours(self) -> set[frozenset[str]]:
        """Neighbouring stages that a link other than those of _forward_links_between_neighbours
        joins: no spacer goes between them."""
        self._forward_links_between_neighbours()
        return self._other_between

    def _links_past_spacers(self) -> dict[int, list[str]]:
        """The links that run through spacers (see _spacer_place), each with its spacers in the
        order it passes them."""
        if not hasattr(self, "_past_spacers_of"):
            self._past_spacers_of: dict[int, list[str]] = defaultdict(list)
            for points in self._waypoints().values():
                for band, name, place in points:
                    if (band, place) not in self._spacer_gaps():
                        continue
                    nodes = self.bands[band].nodes
                    for index in self._forward_links_between_neighbours()[frozenset(nodes[place - 1 : place + 1])]:
                        self._past_spacers_of[index].append(name)
            self._past_spacers_of = dict(self._past_spacers_of)
        return self._past_spacers_of

    def _past_spacers(self, edge: Edge, tail: str, head: str, attributes: dict[str, str], origin: Origin) -> None:
        """A link forward to the next stage along a lane's band drawn straight through the
        spacers between the two stages (see _spacer_place): `sf-edge-N-start` from its source,
        `sf-edge-N-via-K` between two spacers, `sf-edge-N` into its target. Left as one link,
        dot drew it as an arc round the spacer."""
        points = self._links_past_spacers()[edge.index]
        stops = [tail, *points, head]
        common = {k: v for k, v in attributes.items() if k not in ("dir", "arrowhead", "arrowtail", "id")}
        last = len(stops) - 2
        for number, (first, second) in enumerate(zip(stops, stops[1:])):
            suffix = "-start" if number == 0 else "" if number == last else f"-via-{number}"
            part = dict(common, id=dot_quote(f"sf-edge-{edge.index}{suffix}"))
            _set_arrows(part, edge.start if number == 0 else END_NONE, edge.end if number == last else END_NONE)
            # The parts meet at the spacers' centres (see _through_lanes).
            if number > 0:
                part["tailclip"] = "false"
            if number < last:
                part["headclip"] = "false"
            self.line(1, f"{first} -> {second}" + self.attributes(part), origin)

    def _before_lane_start_of_hand_off(self, edge: Edge, band: _Band) -> Optional[int]:
        """0, the place before the first stage of `band`, for a link forward (not leading back)
        between lanes that are not next to each other that crosses `band`, a lane's, when the
        flow runs on from the link's target to that first stage; else None (see _waypoints).

        channel-distributor-zh: 签订经销协议 in 渠道经理 hands over down past 渠道运营 to
        保证金收取, and the flow runs on from there up to 产品与系统培训, the first stage of
        渠道运营. Just before that stage is where the link passes the lane as the flow runs;
        _waypoint_place never takes a lane's ends, and the link went round the lanes' far end
        (1,557 pt for 336 pt between its stages). Only there: before the first stage of every
        lane, a link from a decision (tender-bid-approvals: 否 from 是否参与投标? to 投标复盘) and
        a loop back past several lanes (the sample b2b-lanes: 是，转介绍线索) went round instead
        (measured on the corpus: detours 5 → 8); from the first stage on to the link's source
        too, 5 → 4 with one more elsewhere (mobile-store-lanes); loops back too, the generated
        charts 189 → 193."""
        if band.lane is None or not band.nodes or edge.index in self._back_edges():
            return None
        if not hasattr(self, "_linked_pairs"):
            self._linked_pairs: set[tuple[Optional[str], Optional[str]]] = {
                (self._endpoint(other.source, other, True)[0], self._endpoint(other.target, other, False)[0])
                for other in self.process.edges if other.stroke != "invisible"}
        target = self._endpoint(edge.target, edge, False)[0]
        return 0 if (target, band.nodes[0]) in self._linked_pairs else None

    def _loop_back_across_a_joined_lane(self, edge: Edge, band: _Band, middle: float) -> Optional[int]:
        """For a link leading back past one lane (see _waypoints: `band`, the lane's band, the one
        band between its stages' bands) in which a link joins every two neighbouring stages, so
        that _waypoint_place finds no gap: the gap among its stages nearest to where the flow
        between the link's stages would pass (see _waypoint_place), though a link joins the two
        stages beside it; else None. That link is drawn as a small arc over the waypoint.

        Without a waypoint, dot set the label of the link in that lane's rank, which the lane
        fills from end to end, and so past its end, and the link ran there and back
        (b2b-six-departments: 否，重新谈判 from 条款可接受? in 法务部 up past 售前技术部 to 商务谈判,
        1,108 pt for 339 pt between its stages, highlighted 1,687 pt for 463 pt). Only for links
        back past one lane: for every link without a place, links forward past several lanes
        took gaps beside labelled links, and the labels met (enterprise-poc-lanes: yes over no,
        rework pricing) or ran round the lanes' end the more (the sample b2b-lanes; measured on
        the corpus: detours 3 → 5, two labels over others, a link through its own label). Not
        in a lane along which a labelled link runs forward (generated-114: won, from the Sales
        lane's first stage to its second, was set over the second; beside a waypoint between two
        stages such a link joins, 30 links of the generated charts ran through their labels)."""
        if band.lane is None or len(band.nodes) < 2 or edge.index not in self._back_edges():
            return None
        latest, gaps = self._gaps_by_band[band.index]
        if len(gaps) > 2:
            return None  # a free gap there is (the link had none near enough: see _waypoint_place)
        # Not in a lane along which a labelled link runs forward: dot sets that label after
        # the layout, beside an arc over the waypoint it ran through it, and elsewhere along the
        # lane it was set over a stage (loops back there run through label nodes).
        for other, ends in self._link_ends():
            if self._is_labelled(other) and all(name in self.band_of for name in ends) and (
                    self.band_of[ends[0]] == self.band_of[ends[1]] == band.index
                    and self.place_in_band[ends[0]] < self.place_in_band[ends[1]]):
                return None
        wanted = bisect_right(latest, middle)
        return min(range(1, len(band.nodes)), key=lambda gap: (abs(gap - wanted), gap))

    def _lane_without_text(self, band: _Band) -> bool:
        """Whether `band` is a lane's band along which no link carries text (a label, a rate, a
        note or a highlight tag): a waypoint may then go between two stages a link joins. That
        link is drawn as a small arc past the waypoint, with no label to set elsewhere; in a
        lane whose stages all follow one another, the link across had no other place than the
        lane's end, and went round it (generated charts: 需求了解 反馈 back to 回款, round
        销售部; measured on the layout corpus and the generated charts: detours 23 → 23 and
        316 → 314, nothing else drawn worse; allowed beside links with text, as long as no
        label sat in the way, other labels moved onto stages)."""
        if not hasattr(self, "_bands_with_text"):
            self._bands_with_text: set[int] = set()
            for edge, ends in self._link_ends(labelled=True):
                if ends[0] != ends[1] and (ends[0] in self.band_of and ends[1] in self.band_of) and (
                        self.band_of[ends[0]] == self.band_of[ends[1]]):
                    self._bands_with_text.add(self.band_of[ends[0]])
        return band.lane is not None and band.index not in self._bands_with_text

    def _places_across_rows(self, edge: Edge, ends: list[str], crossed: list[_Band]) -> list[int]:
        """For a labelled link past rows of a flow wrapped without lanes that is not drawn
        through waypoints between stages no link joins (see _waypoint_place: in a row of the
        flow, nearly every two neighbours are joined), the place in each row it crosses for a
        waypoint (see _waypoints): the gap between two
        neighbours that no labelled link joins nearest to where the line between the link's
        two stages crosses that row; where a row it crosses has labelled links between every
        two neighbours (highlighted, mostly: every hand-off carries a tag), just past each
        row's start or end, on the side the link's line is nearer on average, if it crosses two
        or more rows (with a waypoint among the stages of one row and past the end of the next,
        the link ran across the drawing between them, and past one row alone the waypoint sent
        other links round: the sample saas-funnel, win-back track and yes, upsell). Empty: not
        such a link, or no such places.

        Left as one link, such a link (a loop back two or more rows, mostly) ran round the
        rows' end. Between two stages joined by a link without a label, that link is drawn as a
        small arc over the waypoint; between two joined by a labelled link, dot would set that
        link's label elsewhere, over a stage. Past three rows or more, one row may go without
        (see _without_row_beside_loop). (Measured: detours on the layout corpus 24 → 21 and on
        the generated charts 319 → 297, nothing else drawn worse; with the parts between
        waypoints unguided, 24 and 325. Past three rows or more too: 14 → 13 and 253 → 247;
        past rows of labelled links too, the generated charts 247 → 245, where such a link
        had run round the far end of several rows.)

        Also where the link would cross no labelled link along a row between, and was drawn
        through its label alone (see _through_label_between_rows): the part from its label to
        the far stage crossed the rows between wherever dot set it, often near their end, and
        ran back along the space beyond (generated-384 flipped: 未成交 from 试用？ back two
        rows to 报价, round past 评审, 968 pt for 298 pt). Measured on the generated charts,
        tests/generated_charts.py: detours 90 → 89, nothing else drawn worse; the layout corpus
        still without a defect.

        Past the ends of every row as soon as one has no free gap, unless the link would cross
        the flow's turns there (see _crosses_turns_at_end): before, only when none had one, and
        a link past rows some of which had a free gap was left to dot, which ran it round both
        ends of the rows in an S (generated-173 drawn left to right and highlighted: 退回 from
        法务审核合同条款并提交审批？ back three rows to 组织产品演示与技术答疑会议, 5,232 pt for
        744 pt). Measured: tests/generated_charts.py detours 16 → 15, the layout corpus still 0,
        300 charts of another seed (tests/generated_other_seed.py) 34 → 32, none added, every
        other category 0. Without the look at the turns: the same counts there, 31 on the other
        seed (its generated-195 flipped too), but the sample saas-funnel's win-back track
        crossed the turns into Renews? and out of Discovery call.

        Where the link would still be left to dot (past one row with no free gap, away from its
        ends; or past the ends across the turns), it crosses among the stages all the same,
        through a spacer where a row has no free gap (see _places_across_labelled_gaps)."""
        if self.options.around or not self._is_labelled(edge):
            return []
        upper, lower = sorted(ends, key=lambda name: self.band_of[name])
        labelled = self._labelled_neighbours()
        first, last = self.band_of[upper], self.band_of[lower]
        start, end = self._across_row(upper), self._across_row(lower)
        places, crossings = [], []
        for band in crossed:
            line = start + (end - start) * (band.index - first) / (last - first)
            nodes = band.nodes
            gaps = [gap for gap in range(1, len(nodes)) if frozenset(nodes[gap - 1 : gap + 1]) not in labelled]
            if gaps:
                places.append(min(gaps, key=lambda gap: (abs(self._gap_across_row(nodes, gap) - line), gap)))
            crossings.append(line)
        if len(places) < len(crossed):
            # Rows without a free gap: past two or more, every row just past its end on the same
            # side, those with a free gap too (none among the stages of one row and past the end
            # of the next); past one, only near that end (see _one_row_past_its_end).
            if len(crossed) < 2 and not self._one_row_past_its_end(crossings):
                return self._places_across_labelled_gaps(edge, crossed, crossings)
            side = 1.0 if sum(crossings) / len(crossings) > 0.5 else 0.0
            if places and self._crosses_turns_at_end(upper, lower, side):
                return self._places_across_labelled_gaps(edge, crossed, crossings)
            places = [min((0, len(band.nodes)), key=lambda gap: abs(self._gap_across_row(band.nodes, gap) - side))
                      for band in crossed]
        self._labelled_past_rows().add(edge.index)
        return places

    def _places_across_labelled_gaps(self, edge: Edge, crossed: list[_Band], crossings: list[float]) -> list[int]:
        """For a labelled link past rows of a flow wrapped without lanes that _places_across_rows
        would leave to dot (past one row with no free gap, its line crossing that row away from
        its ends; or past rows some of which have no free gap, where passing beside their ends
        would cross the flow's turns), the place in each row `crossed` for a waypoint, the line
        between its stages crossing each at `crossings` (see _across_row): the nearest free gap,
        and in a row with none, the nearest gap that a labelled link forward alone joins, the
        waypoint there a spacer that link runs through (see _past_labelled_spacer). Empty: a row
        without either.

        Left to dot, such a link ran round the rows' end (charts(300, 424242) of
        tests/generated_charts.py: generated-187's `no` from Invoice? back three rows to Qualify
        the inbound lead, 1,499 pt for 456 pt; generated-192's 否, 1,831 pt for 483 pt). A
        waypoint in such a gap with the link along the row left as one, dot drew that link as
        an arc over the waypoint through its own label (link through its own label 0 -> 13 on
        those charts); through the spacer, it runs straight along the row, its label on the
        part before the crossing. Not past a row that another such link passes too (one past
        the rows' ends is no matter: generated-290's 需修改 crosses beside 反馈 past the end):
        in the sample saas-funnel, recycle contact from Closed-lost review and win-back track
        from Churn exit interview, both back up past the row of Proposal to Lead nurturing,
        crossed it through spacers beside each other, and the row's links and labels were
        thrown across one another (forecast review's label crossed, win-back track wound
        round); with the first of them alone through a spacer, recycle contact ran through
        forecast review's label."""
        if any(self._labelled_links_past_row()[band.index] > 1 for band in crossed):
            return []  # (the sample saas-funnel: see the docstring)
        labelled = self._labelled_neighbours()
        joining = self._labelled_forward_between_neighbours()
        places, spacers = [], []
        for band, line in zip(crossed, crossings):
            nodes = band.nodes
            gaps = [gap for gap in range(1, len(nodes)) if frozenset(nodes[gap - 1 : gap + 1]) not in labelled]
            if not gaps:
                gaps = [gap for gap in range(1, len(nodes)) if frozenset(nodes[gap - 1 : gap + 1]) in joining]
                if not gaps:
                    return []
                spacers.append(band.index)
            places.append(min(gaps, key=lambda gap: (abs(self._gap_across_row(nodes, gap) - line), gap)))
        for band, place in zip(crossed, places):
            if band.index in spacers:
                self._labelled_spacer_gaps().add((band.index, place))
        self._labelled_past_rows().add(edge.index)
        return places

    def _labelled_links_past_row(self) -> Counter[int]:
        """How many labelled links past rows of a flow wrapped without lanes pass each band (its
        index) that _places_across_rows would leave to dot by the rows' ends alone (see
        _left_by_rows_ends): between their two stages' bands, not in either."""
        if not hasattr(self, "_labelled_past_count"):
            self._labelled_past_count: Counter[int] = Counter()
            for _edge, ends in self._link_ends(labelled=True):
                if ends[0] in self.band_of and ends[1] in self.band_of:
                    low, high = sorted((self.band_of[ends[0]], self.band_of[ends[1]]))
                    if high - low > 1 and self._left_by_rows_ends(list(ends)):
                        self._labelled_past_count.update(range(low + 1, high))
        return self._labelled_past_count

    def _left_by_rows_ends(self, ends: list[str]) -> bool:
        """Whether a labelled link past rows between stages `ends` is one that _places_across_rows
        leaves to dot, a row it passes with no free gap: past one such row, its line crossing it
        away from its ends; past more, beside the rows' ends across the flow's turns."""
        upper, lower = sorted(ends, key=lambda name: self.band_of[name])
        labelled = self._labelled_neighbours()
        first, last = self.band_of[upper], self.band_of[lower]
        start, end = self._across_row(upper), self._across_row(lower)
        crossings, free = [], 0
        for index in range(first + 1, last):
            nodes = self.bands[index].nodes
            crossings.append(start + (end - start) * (index - first) / (last - first))
            free += any(frozenset(nodes[gap - 1 : gap + 1]) not in labelled for gap in range(1, len(nodes)))
        if free == len(crossings):
            return False
        if len(crossings) < 2:
            return not self._one_row_past_its_end(crossings)
        side = 1.0 if sum(crossings) / len(crossings) > 0.5 else 0.0
        return bool(free) and self._crosses_turns_at_end(upper, lower, side)

    def _labelled_forward_between_neighbours(self) -> dict[frozenset[str], int]:
        """Neighbouring stages of a row that one labelled link forward joins and no other link
        (by their DOT names): the link each such gap's spacer would stand in the way of."""
        if not hasattr(self, "_labelled_forward_only"):
            found: dict[frozenset[str], list[tuple[int, bool]]] = defaultdict(list)
            for edge, names, forward_in_row in self._links_between_neighbours():
                found[frozenset(names)].append((edge.index, forward_in_row and self._is_labelled(edge)))
            self._labelled_forward_only = {
                pair: links[0][0] for pair, links in found.items() if len(links) == 1 and links[0][1]}
        return self._labelled_forward_only

    def _labelled_spacer_gaps(self) -> set[tuple[int, int]]:
        """The gaps (band, before which stage) that _places_across_labelled_gaps gave a spacer."""
        if not hasattr(self, "_labelled_spacers"):
            self._labelled_spacers: set[tuple[int, int]] = set()
        return self._labelled_spacers

    def _links_past_labelled_spacers(self) -> dict[int, list[str]]:
        """The labelled links forward along a row that run through spacers (see
        _places_across_labelled_gaps), each with its spacers in the order it passes them."""
        if not hasattr(self, "_past_labelled_spacers_of"):
            self._past_labelled_spacers_of: dict[int, list[str]] = defaultdict(list)
            for points in self._waypoints().values():
                for band, name, place in points:
                    if (band, place) in self._labelled_spacer_gaps():
                        nodes = self.bands[band].nodes
                        index = self._labelled_forward_between_neighbours()[frozenset(nodes[place - 1 : place + 1])]
                        self._past_labelled_spacers_of[index].append(name)
            self._past_labelled_spacers_of = dict(self._past_labelled_spacers_of)
        return self._past_labelled_spacers_of

    def _past_labelled_spacer(self, edge: Edge, tail: str, head: str, attributes: dict[str, str], origin: Origin) -> None:
        """A labelled link forward to the next stage along a row drawn straight through the
        spacers between its two stages (see _places_across_labelled_gaps): `sf-edge-N-start`
        from its source to the first spacer, carrying the label (dot sets a label of a link
        along a row above it, between its two ends), `sf-edge-N-via-K` between two spacers,
        `sf-edge-N` on into its target. Left as one link, dot drew it as an arc over the spacer,
        through its own label."""
        stops = [tail, *self._links_past_labelled_spacers()[edge.index], head]
        common = {k: v for k, v in attributes.items() if k not in ("dir", "arrowhead", "arrowtail", "id", "label")}
        last = len(stops) - 2
        for number, (first, second) in enumerate(zip(stops, stops[1:])):
            suffix = "-start" if number == 0 else "" if number == last else f"-via-{number}"
            part = dict(common, id=dot_quote(f"sf-edge-{edge.index}{suffix}"))
            if number == 0:
                part["label"] = attributes["label"]
            # The parts meet at the spacers' centres (see _through_lanes).
            if number < last:
                part["headclip"] = "false"
            if number > 0:
                part["tailclip"] = "false"
            _set_arrows(part, edge.start if number == 0 else END_NONE, edge.end if number == last else END_NONE)
            self.line(1, f"{first} -> {second}" + self.attributes(part), origin)

    def _crosses_turns_at_end(self, upper: str, lower: str, side: float) -> bool:
        """Whether a link past rows of a flow wrapped without lanes, from stage `upper` to stage
        `lower` (its ends in the earlier row and the later), passed beside the rows' ends on
        `side` (0: their start, 1: their end, see _across_row), would cross the flow where it
        turns from row to row there: the turn out of `upper`'s row, when `upper` is not that
        row's last stage, or the turn into `lower`'s row, when `lower` is not its first.

        The sample saas-funnel: win-back track from Churn exit interview back to Lead nurturing,
        past the rows' end where the turns into Renews? and out of Discovery call run, crossed
        both (see _places_across_rows)."""
        for stage, end in ((upper, -1), (lower, 0)):
            nodes = self.bands[self.band_of[stage]].nodes
            if nodes[end] != stage and abs(self._across_row(nodes[end]) - side) < 0.5:
                return True
        return False

    @staticmethod
    def _one_row_past_its_end(crossings: list[float]) -> bool:
        """Whether a labelled link past one row of a flow wrapped without lanes, every two
        neighbours of which a labelled link joins, passes that row just past its end (see
        _places_across_rows): when the line between its stages crosses the row near that end
        (`crossings`, how far across the row), where round the end is the short way. Left to
        dot, such a link ran round the row's other end (generated-272: 需修改 from 验收？ at the
        third row's end back to 回款, 1,544 pt for 422 pt). Past one row wherever the line
        crossed it, other links went round (see _places_across_rows); near the end only,
        measured on the generated charts (tests/generated_charts.py): detours 51 → 50, nothing
        else drawn worse, the layout corpus still without a defect."""
        return len(crossings) == 1 and not NEAR_ROW_END < crossings[0] < 1 - NEAR_ROW_END

    def _past_rows_of_lane(self, edge: Edge, ends: list[str]) -> bool:
        """Whether `edge` is a labelled link between two rows of one lane wrapped into several
        rows with a row of the lane or more between them (a loop back two rows or more, mostly):
        drawn past the rows between beside their ends (see _places_past_turns). Tried: through
        waypoints among the rows' stages, in gaps no labelled link joins, where both its stages
        sit inside their rows (generated-261 flipped: rework back three rows, 1,208 pt for
        386 pt): detours on the generated charts 51 → 50, nothing else counted worse, but the
        link crossed the rows' links between, the main flow; not kept. Not in a narrow
        drawing for a phone, nor when dot is given the drawing again with links taken round
        (`around`)."""
        if self.options.around or self.options.narrow or not self._is_labelled(edge):
            return False
        upper, lower = sorted(self.band_of[name] for name in ends)
        lane = self.bands[upper].lane
        return lane is not None and lower - upper > 1 and all(
            band.lane == lane for band in self.bands[upper : lower + 1])

    def _back_past_own_rows(self, edge: Edge, ends: list[str]) -> bool:
        """Whether `edge` is a labelled link up from a lane to an earlier one whose bands between
        are all rows of those two lanes (one of them wrapped into several rows, at least): drawn
        past those rows beside their ends, as a link past rows of one lane is (see
        _places_past_turns). Only a link leading back in the flow (a link forward up there
        draws the same detours as before: measured on the generated charts, 51 either way). Not
        in a narrow drawing for a phone, nor with `around`.

        A link does not enter a lane it only crosses, its own lanes' rows between included: dot
        set the points it passes there outside the lanes, at the far side of the page, and the
        loop ran round the lanes' end and back (generated-265: 反馈 from 评审 in 销售部's second
        row up to 回款 in 市场部's first, round the right of both lanes, 1,851 pt for 491 pt)."""
        if (self.options.around or self.options.narrow or not self._is_labelled(edge)
                or edge.index not in self._back_edges()):
            return False
        source, target = ends
        lower, upper = self.bands[self.band_of[source]], self.bands[self.band_of[target]]
        if lower.index - upper.index < 2 or lower.lane is None or upper.lane is None or lower.lane == upper.lane:
            return False
        if not all(band.lane in (lower.lane, upper.lane) for band in self.bands[upper.index + 1 : lower.index]):
            return False
        # Both stages towards the same end of their rows: between stages at opposite ends, the
        # link ran past the rows' end and then across the lane to the far stage (generated-255
        # flipped: 60 detours on the generated charts against 57). In the outer third of their
        # rows, as past another lane (see _back_past_lanes_without_place): 51 against 49,
        # generated-114 flipped and -318 sent round again.
        sides = {self._share_from_first(name) < 0.5 for name in ends}
        return len(sides) == 1

    def _back_past_lanes_without_place(self, edge: Edge, ends: list[str]) -> bool:
        """Whether `edge`, a link past other lanes with no place for a waypoint in one of them
        (see _waypoints), is a labelled link up from a lane to an earlier one, both its stages
        towards the same end of their rows: drawn past every band between beside its end (see
        _places_past_turns). Left as one link, it ran round the far end of the lanes and back
        (generated-379: 反馈 from 售后工单分派与满意度回访, last in 法务部, up past 售前部 to
        渠道伙伴资质审核与授权签约, last in 销售部, round their first stages, 2,746 pt for 423 pt).
        Only links leading back in the flow, their stages each in the outer third of its row: a
        link forward up past a lane that way (six-lanes-40: 是 from 条款通过? to 签约), or back
        to a stage two thirds along (否，重新谈判 to 商务谈判), sent four links between 销售部
        and 财务部 round the lanes, where the corpus had no detour. Measured on the generated
        charts: within two fifths of the row's end rather than a third, 50 against 49
        (generated-380 highlighted sent round); a spacer (see _spacer_place) in each lane for
        such a link past two lanes or more instead, 51 against 50 (generated-200's lost, from
        Demo? up past two lanes, sent round)."""
        if (self.options.around or self.options.narrow or not self._is_labelled(edge)
                or edge.index not in self._back_edges()):
            return False
        source, target = ends
        lower, upper = self.bands[self.band_of[source]], self.bands[self.band_of[target]]
        if lower.index <= upper.index or lower.lane is None or upper.lane is None:
            return False
        # Each within the third of its row at that end: from a stage midway along, past the
        # rows' end meant crossing the lane back to it (generated-180 flipped: lost into Close,
        # the link along Marketing to Review? sent over that lane's start).
        # A lane's only stage takes the side of the other (generated-290 highlighted: 反馈 from
        # 需求了解, alone in 售前部, now straight up past 销售部's start to 回款, not round its end).
        shares = [self._share_from_first(name) for name in ends if len(self.bands[self.band_of[name]].nodes) > 1]
        return all(share < 1 / 3 for share in shares) or all(share > 2 / 3 for share in shares)

    def _past_a_row_of_target_lane(self, edge: Edge, ends: list[str]) -> bool:
        """Whether `edge` runs between two lanes past one band between them, a row of the lane it
        goes to (that lane wrapped into several rows): see _places_along_line."""
        source, target = (self.bands[self.band_of[name]] for name in ends)
        if abs(source.index - target.index) != 2 or None in (source.lane, target.lane) or source.lane == target.lane:
            return False
        return self.bands[(source.index + target.index) // 2].lane == target.lane

    def _places_along_line(self, edge: Edge, ends: list[str], crossed: list[_Band]) -> list[int]:
        """For a labelled link between lanes drawn as rows, from a stage inside its row (neither
        at its start nor at its end) to a stage inside another, that finds no place among the
        stages of the bands it crosses as the flow runs (see _waypoint_place) or crosses only a
        row of the lane it goes to (see _past_a_row_of_target_lane): the place in each band it
        crosses for a waypoint, the gap nearest to where the line between its two stages, as
        drawn, crosses that band (see _share_from_first). A gap no link joins, or else one that
        only a link forward without text joins, as a spacer (see _spacer_fits). Empty: not such
        a link, or a band with neither. Only a link leading back in the flow, not one of two
        labelled links from one stage into the same band (see _branch_to_the_same_band), and
        crossing the main flow through a spacer in one band at most. Such a link is drawn
        through its label by the stage it goes to (see _along_line_through_label).

        Left as one link, dot set its label in the space by the stage it leaves, often past the
        end of the lanes, and the link ran out there and back (generated-003 flipped: 需修改
        from the decision in the middle of 法务部 up past 售前部 and 销售部 to 演示, 2,388 pt
        for 656 pt; generated-275: lost from the middle of Sales up past Marketing's second row
        to its first, round Marketing's end, 1,715 pt for 526 pt). The line as drawn, not the
        place along the flow: in generated-003 the flow between the two stages passes before
        售前部's first stage. Not in lanes drawn as columns: there the parts' twins moved a
        lane's stages out of order (generated-395 drawn down the page: Sales' stages, a label
        over a stage and a link through one). Past several rows of the two lanes' own, the
        link ran along the rows between to its label and back (generated-061's 退回; -062's
        退回, from its lane's second row past its first, ran the row's length and back). Through
        spacers in two bands, the sample b2b-lanes' 是，转介绍线索 wound across the main flow of
        交付部 and 销售部; links forward too, or both branches of a decision into one lane,
        the layout corpus drew 13 detours where it had none (six-lanes-40: 否，调整报价 and 是
        from 条款通过? up past presales and legal to sales; channel-distributor-zh highlighted)."""
        if not self.across or self.options.around or self.options.narrow or not self._is_labelled(edge):
            return []
        if edge.index not in self._back_edges() or self._branch_to_the_same_band(edge, ends):
            return []
        if not all(0 < self.place_in_band[name] < len(self.bands[self.band_of[name]].nodes) - 1 for name in ends):
            return []
        upper, lower = sorted(ends, key=lambda name: self.band_of[name])
        first, last = self.band_of[upper], self.band_of[lower]
        start, end = self._share_from_first(upper), self._share_from_first(lower)
        places, spacers, labelled_spacers = [], [], set()
        for band in crossed:
            line = start + (end - start) * (band.index - first) / (last - first)
            joined = set() if self._lane_without_text(band) else self._joined_neighbours()
            count = len(band.nodes)
            free = [gap for gap in range(1, count) if frozenset(band.nodes[gap - 1 : gap + 1]) not in joined]
            gaps = free + [gap for gap in range(1, count) if gap not in free and self._spacer_fits(band, gap)]
            if not gaps and last - first == 2:  # past one band alone (see _labelled_spacer_fits)
                gaps = self._labelled_spacer_fits(band)
                labelled_spacers.update((band.index, gap) for gap in gaps)
            if not gaps:
                return []
            backwards = self._runs_backwards(band)

            def across(gap: int) -> float:  # how far along the band, from its first anchor
                share = (gap - 0.5) / (count - 1)
                return 1 - share if backwards else share

            places.append(min(gaps, key=lambda gap: (abs(across(gap) - line), gap)))
            if places[-1] not in free:
                spacers.append((band.index, places[-1]))
        if len(spacers) > 1:
            return []  # across the main flow once at most (see the docstring)
        self._spacer_gaps().update(gap for gap in spacers if gap not in labelled_spacers)
        self._labelled_spacer_gaps().update(gap for gap in spacers if gap in labelled_spacers)
        self._along_line_links().add(edge.index)
        return places

    def _branch_to_the_same_band(self, edge: Edge, ends: list[str]) -> bool:
        """Whether another labelled link leaves the stage `edge` leaves (`ends`: its two DOT
        names) for the band `edge` goes to: both ways out of a decision into one lane."""
        return any(other.index != edge.index and names[0] == ends[0] and names[1] in self.band_of
                   and self.band_of[names[1]] == self.band_of[ends[1]]
                   for other, names in self._link_ends(labelled=True))

    def _spacer_fits(self, band: _Band, gap: int) -> bool:
        """Whether a waypoint may stand as a spacer (see _spacer_place) in the gap before stage
        `gap` of `band` for a link of _places_along_line: between two stages that only links
        forward without text join, under no arc. Beside a stage that a labelled link along the
        band joins too, unlike _spacer_place: in generated-003 every gap of 销售部 is beside
        one, and no label along it moved."""
        pair = frozenset(band.nodes[gap - 1 : gap + 1])
        return (band.lane is not None and bool(self._forward_links_between_neighbours().get(pair, ()))
                and pair not in self._other_links_between_neighbours()
                and not any(low < gap <= high for low, high in self._arcs_along(band.index)))

    def _labelled_spacer_fits(self, band: _Band) -> list[int]:
        """The gaps of `band`, a lane's band with no gap free or joined by links without text
        alone (see _places_along_line), where a waypoint may stand as a spacer that the one
        labelled link forward joining the gap's two stages runs through (see
        _past_labelled_spacer), under no arc.

        With no place in such a lane, a labelled link back past it was left to dot, which ran
        it round the lanes' end (charts(300, 424242) of tests/generated_charts.py,
        generated-151 highlighted: 否 from 发货？ in 法务部 back up past 售前部, whose two stages
        a hand-off with its tag joins, to 投标 in 销售部, 2,302 pt for 426 pt). Through the
        spacer, the lane's link runs straight along it, its label on the part before the
        crossing, as past a row of a flow wrapped without lanes (see
        _places_across_labelled_gaps). Only for a link past one band, between its neighbours: past
        a row of a lane wrapped into several rows, with the link's own lane's rows between, the
        spacer sent three other links out past the lanes' end (charts(300, 20261203)
        generated-129 flipped and highlighted: 1,656 pt for 311 pt, 914 pt for 254 pt)."""
        joining = self._labelled_forward_between_neighbours()
        return [gap for gap in range(1, len(band.nodes))
                if band.lane is not None and frozenset(band.nodes[gap - 1 : gap + 1]) in joining
                and not any(low < gap <= high for low, high in self._arcs_along(band.index))]

    def _along_line_links(self) -> set[int]:
        """The links given waypoints by _places_along_line."""
        if not hasattr(self, "_along_line"):
            self._along_line: set[int] = set()
        return self._along_line

    def _along_line_through_label(self, edge: Edge, attributes: dict[str, str], origin: Origin) -> None:
        """A link of _places_along_line drawn through its waypoints and its label as a labelled
        link past rows is (see _past_rows_through_label), but with its label in the space by the
        stage it goes to, held in the lane when that space lies between two of its rows.

        Through waypoints with the label on the part leaving the source (see _through_lanes),
        dot set the label where its rank had room, and the link ran out along the space between
        the lanes and back (generated-003 flipped: 需修改 past the lanes' end, and 反馈 beside it
        sent there too). With the label by the stage it leaves, a hand-off between the same two
        lanes was sent round it (generated-275: Collect payment to Prepare a tiered proposal,
        844 pt for 276 pt). The part leaving the source goes without
        the twin that ranks: with it, dot drew the source's row out of order in charts no
        layout was tuned on (charts(300, 777001) numbers 27 and 299: labels over stages).
        Without it, generated-003 flipped and highlighted still sends 反馈, from the end of
        法务部 up past 售前部 beside 需修改's waypoint, out past the lanes' end (3,228 pt for
        467 pt; 需修改 itself is short there). With the twin only where the source's band is
        not drawn backwards (generated-027's is): charts(300, 424242) generated-072 flipped, no
        from Renew? to Ship (1,370 pt for 399 pt), and three more on other seeds went short, but
        charts(300, 5150) generated-180 ran a link through its own label and charts(300, 90210)
        generated-241 highlighted gained a detour: not kept."""
        self._past_rows_through_label(edge, attributes, origin, label_by_target=True)

    def _share_from_first(self, name: str) -> float:
        """How far along its band, from the band's first anchor, stage `name` is drawn: 0 at the
        first anchor's end, 1 at the last's."""
        band = self.bands[self.band_of[name]]
        share = self.place_in_band[name] / (len(band.nodes) - 1) if len(band.nodes) > 1 else 0.5
        return 1 - share if self._runs_backwards(band) else share

    def _places_past_turns(self, ends: list[str], crossed: list[_Band]) -> list[int]:
        """For a link past rows of one lane (see _past_rows_of_lane), the place of its waypoint
        in each row it crosses (see _waypoints): past the row's end, beyond the turning points of
        the lane's turns there (see _turns), on the side of the rows its two stages are nearer on
        average. -1 is before the turning points at the row's start (as the flow runs along it),
        one more than the row's stages after those at its end (see _with_waypoints_past_turns).

        Left as one link, dot set the points it passes in the rows between outside the lane
        (a link does not enter a cluster it only crosses), and often at the far side of the
        page: the link ran out round the lane and back (generated-043: 退回 from 投标？ back two
        rows to 售后, 1,736 pt for 308 pt between them). Beside the rows' ends it runs up beside
        the rows, outside the turns it passes, and crosses no stage's link."""
        def from_first(name: str) -> float:
            band = self.bands[self.band_of[name]]
            share = self.place_in_band[name] / (len(band.nodes) - 1) if len(band.nodes) > 1 else 0.5
            return 1 - share if self._runs_backwards(band) else share

        last_side = sum(from_first(name) for name in ends) / 2 > 0.5
        return [-1 if self._runs_backwards(band) == last_side else len(band.nodes) + 1 for band in crossed]

    def _past_turns_links(self) -> set[int]:
        """The links given waypoints past the rows' ends by _places_past_turns."""
        if not hasattr(self, "_past_turns"):
            self._past_turns: set[int] = set()
        return self._past_turns

    def _past_turns_through_label(self, edge: Edge, attributes: dict[str, str], origin: Origin) -> None:
        """A labelled link past rows of a lane (see _places_past_turns) drawn as a labelled link
        past rows of a flow wrapped without lanes is (see _past_rows_through_label): from its
        source to its label, a node in the space beside the source's row, on through its
        waypoints into its target, each part with an invisible twin that ranks. The label is
        held in the lane (see _hold_in_lane).

        With the label on the part leaving the source, dot set it outside the lane, past the
        turn beside it (generated-064 flipped: 需修改 from 续约？ back two rows to 发货？). Left
        alone, a part does not rank, and dot set the point where it crosses the space between
        two rows at the far end of that space, the link running across the lane and back:
        between two waypoints (generated-335: 反馈 from 报价 back four rows to 谈判, 5,197 pt
        for 519 pt), and from the last waypoint into its stage (generated-350: rework, in again
        from the far side of the first row, 1,873 pt for 408 pt). The twins join a stage to its
        label or a waypoint, and waypoints, never two stages: the lane keeps its order (see
        _guide_between_rows)."""
        self._past_rows_through_label(edge, attributes, origin)
        source = self._endpoint(edge.source, edge, True)[0]
        target = self._endpoint(edge.target, edge, False)[0]
        up = self.band_of[source] > self.band_of[target]
        self._hold_in_lane(_internal(f"across-{edge.index}"), self.band_of[source] + (0 if up else 1))
        if up and self.bands[self.band_of[source]].lane != self.bands[self.band_of[target]].lane:
            self._pull_label_to_source(_internal(f"across-{edge.index}"), source)

    def _pull_label_to_source(self, label: str, source: str) -> None:
        """An invisible link, weighing ten, from the label of a link back up from a lane to an
        earlier one past rows' ends (see _back_past_own_rows, _back_past_lanes_without_place)
        down to the stage it leaves. Its label sits in the space above that stage's band, between
        two lanes, where _hold_in_lane does not hold it and nothing pulled it along: dot set it
        at the far end of the space, and the link ran out to it and back (generated-157 flipped:
        未成交 from 财务确认回款并开具增值税发票? up past 销售部 to 需求了解, 3,172 pt for 643 pt;
        measured on the generated charts, tests/generated_charts.py: detours 51 -> 50, three
        gone and two new, nothing else drawn worse)."""
        self.line(1, f"{label} -> {source} [style=invis, weight=10]")
        self.pulled_to_source[label] = source

    def _pulled_labels_beside_others(self, labels: list[str]) -> None:
        """Order each label pulled towards the stage its link leaves (see _pull_label_to_source)
        among `labels` (the nodes of one space between bands) beside the label of every link
        forward there (a hand-off between the two lanes) that has a stage in the same band: on
        the side of it where its own stage is. The link past the rows' ends reaches its label from beyond the rows' end, and dot
        set the label on that side of a hand-off's label beside it; the part from the label
        down to its stage then ran sideways across the hand-off's label, grazing its text
        (charts(300, 8675309) generated-159 drawn right to left: 退回 from 售后工单分派与满意度回访?
        up past 市场部's second row, across 37% 移交客户资料). Ordered so, the link crosses the
        hand-off's line above its label, where the line carries no text.

        Most spaces hold no pulled label, and the links are then not gone over: naming every
        link's label in each space cost a 2,000-stage chart (40 spaces, 2,200 links) 88,000
        names, about a fifth of its DOT writer."""
        if not any(label in self.pulled_to_source for label in labels):
            return
        back = self._back_edges()
        ends_of = {_internal(f"across-{edge.index}"): ends for edge, ends in self._link_ends() if edge.index not in back}
        for label in labels:
            source = self.pulled_to_source.get(label)
            if source is None:
                continue
            chain = self.written_chains.get(self.band_of[source], [])
            for other in labels:
                stages = [name for name in ends_of.get(other, ()) if name in chain and name != source]
                if other == label or not stages:
                    continue
                before = chain.index(source) < chain.index(stages[0])
                first, second = (label, other) if before else (other, label)
                self.line(1, f"{first} -> {second} [style=invis]")

    def _with_waypoints_past_turns(self, band: _Band, nodes: list[str]) -> list[str]:
        """`nodes` (the stages of `band` in flow order, with the waypoints among them and the
        turning points at its ends) with the waypoints past the rows' ends (see
        _places_past_turns) before and after them."""
        before, after = [], []
        for name in self._waypoints_in(band.index):
            index, number = self._waypoint_links[name]
            place = self._via[index][number][2]
            if place < 0:
                before.append(name)
            elif place > len(band.nodes):
                after.append(name)
        return before + nodes + after if before or after else nodes

    def _gap_across_row(self, nodes: list[str], gap: int) -> float:
        """How far across its row (see _across_row) the gap before stage `gap` of `nodes` is: the
        middle of its two neighbours, or the first or last stage's place at the row's ends."""
        return (self._across_row(nodes[max(gap - 1, 0)]) + self._across_row(nodes[min(gap, len(nodes) - 1)])) / 2

    def _without_row_beside_loop(
        self, edge: Edge, ends: list[str], crossed: list[_Band], places: list[int],
    ) -> tuple[list[_Band], list[int]]:
        """The rows a labelled link back past three rows or more (see _places_across_rows)
        takes waypoints in, and their places: all it crosses, but the row next to its source's
        when a labelled loop back goes round that row on the side where the link's label is set
        (see _past_rows_through_label). There, with a waypoint, dot 2.43 could not route a link
        along that row (gov-tender-40: 新需求 from 客户回访 back four rows to 客户拜访, beside
        否，修改条款 back to 合同谈判: "lost G29 G30 edge"); without it, that part of the link
        crosses the row wherever dot puts it. Only there: a row left without its waypoint
        elsewhere had a labelled link along it set over a stage (generated-384 drawn left to
        right, highlighted)."""
        source, target = ends
        if self.band_of[source] <= self.band_of[target] or len(crossed) < 3:
            return crossed, places
        if crossed[-1].index in self._rows_with_labelled_loops():
            return crossed[:-1], places[:-1]
        return crossed, places

    def _rows_with_labelled_loops(self) -> frozenset[int]:
        """The bands along which a labelled link leads back to an earlier stage."""
        if not hasattr(self, "_labelled_loop_rows"):
            found = set()
            for other, ends in self._link_ends():
                if (self._is_labelled(other) and (ends[0] in self.band_of and ends[1] in self.band_of)
                        and self.band_of[ends[0]] == self.band_of[ends[1]]
                        and self.place_in_band[ends[1]] < self.place_in_band[ends[0]]):
                    found.add(self.band_of[ends[0]])
            self._labelled_loop_rows = frozenset(found)
        return self._labelled_loop_rows

    def _labelled_past_rows(self) -> set[int]:
        """The links given waypoints by _places_across_rows, drawn by _past_rows_through_label."""
        if not hasattr(self, "_past_rows"):
            self._past_rows: set[int] = set()
        return self._past_rows

    def _past_rows_through_label(
        self, edge: Edge, attributes: dict[str, str], origin: Origin, label_by_target: bool = False,
    ) -> None:
        """A labelled link past rows (see _places_across_rows) drawn as parts as the link runs:
        from its source to its label, a small node in the space beside the source's row on the
        link's way (`sf-edge-N-start`), on through its waypoints among the stages of the rows
        between (`sf-edge-N-via-K`), into its target (`sf-edge-N`). Each part is written down the
        rows, as dot ranks them, its arrow turned when the link runs up.

        With the label on the part leaving the source, as _through_lanes sets it, dot left it
        wherever its rank had room, often past the rows' end, with long lines to it; as a node,
        it stays on the way. Every part has a twin that ranks (see _guide_between_rows): a
        part left without one ran out past the rows' end and back between two waypoints.
        `label_by_target`: the label in the space by the target instead, and the part leaving
        the source without a twin (see _along_line_through_label)."""
        source = self._endpoint(edge.source, edge, True)[0]
        target = self._endpoint(edge.target, edge, False)[0]
        up = self.band_of[source] > self.band_of[target]
        points = [name for _band, name, _place in self._waypoints()[edge.index]]
        label = _internal(f"across-{edge.index}")
        gap = self.band_of[source] + (0 if up else 1)
        if label_by_target:  # (see _along_line_through_label)
            gap = self.band_of[target] + (1 if up else 0)
            self._hold_in_lane(label, gap)
        self.loop_labels.append((gap, label))
        self.line(1, f"{label}" + self.attributes({
            "shape": "plaintext", "label": attributes["label"], "fontsize": f"{self.pt(10):g}",
            "margin": '"0.04,0.02"', "id": dot_quote(f"sf-edge-{edge.index}-label"), "class": '"sf-edge-label"',
        }))
        stops = [source, label, *(points[::-1] if up else points), target]
        if label_by_target:
            stops = [source, *(points[::-1] if up else points), label, target]
        stops, added = self._stops_beside_second_labels(edge.index, stops)
        level = {name: 2 * self.band_of[name] + 1 for name in stops if name in self.band_of}
        level.update({name: 2 * band + 1 for band, name, _place in self._waypoints()[edge.index]})
        level.update({name: 2 * space for name, space in added.items()})
        points = points + list(added)
        level[label] = 2 * gap
        common = {k: v for k, v in attributes.items() if k not in (
            "dir", "arrowhead", "arrowtail", "label", "id", "ltail", "lhead", "tailport", "headport")}
        last = len(stops) - 2
        for number, (first, second) in enumerate(zip(stops, stops[1:])):
            suffix = "-start" if number == 0 else "" if number == last else f"-via-{number}"
            part = dict(common, id=dot_quote(f"sf-edge-{edge.index}{suffix}"))
            start = edge.start if first == source else END_NONE
            end = edge.end if second == target else END_NONE
            if level[first] > level[second]:  # written down the rows, the other way round
                first, second, start, end = second, first, end, start
            _set_arrows(part, start, end)
            # The parts meet at the waypoints' centres (see _through_lanes).
            if first in points:
                part["tailclip"] = "false"
            if second in points:
                part["headclip"] = "false"
            self.line(1, f"{first} -> {second}" + self.attributes(part), origin)
            if not (label_by_target and source in (first, second)):
                self._guide_between_rows(first, second)

    def _labelled_neighbours(self) -> set[frozenset[str]]:
        """Neighbouring stages of a band that a labelled link joins, as pairs of DOT names."""
        if not hasattr(self, "_labelled_pairs"):
            self._labelled_pairs: set[frozenset[str]] = set()
            for edge, ends in self._link_ends(labelled=True):
                if (ends[0] in self.band_of and ends[1] in self.band_of) and self.band_of[ends[0]] == self.band_of[ends[1]] and (
                        abs(self.place_in_band[ends[0]] - self.place_in_band[ends[1]]) == 1):
                    self._labelled_pairs.add(frozenset(ends))
        return self._labelled_pairs

    def _with_waypoints(self, band: _Band) -> list[str]:
        """The stages of `band` in order with its waypoints among them (see _waypoints)."""
        gaps: dict[int, list[str]] = defaultdict(list)  # before which stage: the waypoints there
        for points in self._waypoints().values():
            for number, name, place in points:
                if number == band.index:
                    gaps[place].append(name)
        nodes = []
        for place, stage in enumerate(band.nodes):
            nodes += gaps.get(place, [])
            nodes.append(stage)
        return nodes + gaps.get(len(band.nodes), [])

    def _joined_neighbours(self) -> set[frozenset[str]]:
        """Neighbouring stages of a band that a link joins, as pairs of DOT names."""
        if not hasattr(self, "_joined"):
            self._joined: set[frozenset[str]] = set()
            for edge, ends in self._link_ends():
                if (ends[0] in self.band_of and ends[1] in self.band_of) and self.band_of[ends[0]] == self.band_of[ends[1]] and (
                        abs(self.place_in_band[ends[0]] - self.place_in_band[ends[1]]) == 1):
                    self._joined.add(frozenset(ends))
        return self._joined

    def _waypoint(self, name: str, depth: int, link: Optional[tuple[int, int]] = None) -> None:
        """A waypoint (see _waypoints; `link`: the link it is on and its number along it, when
        not one of those), drawn as a dot as wide as its link's line, in its colour: dot ends
        the two parts a point or two short of a node, however small, and the line would show a
        gap there."""
        index, number = link or self._waypoint_links[name]
        edge = self.process.edges[index]
        css = _style_attributes(self.edge_styles.get(index, {}), edge=True)
        colour, width = css.get("color", EDGE_INK), float(css.get("penwidth", 1.1))
        if edge.stroke == "thick":
            width = 2.6
        if index in self.marks.edges:
            colour, width = SEVERITY_COLOURS[_worst(self.marks.edges[index])][0], 2.4
        size = max(width, 2.2) / 72
        self.line(depth, f"{name}" + self.attributes({
            "shape": "point", "width": f'"{size:.3f}"', "height": f'"{size:.3f}"', "label": '""', "style": '"filled"',
            "color": dot_quote(colour), "fillcolor": dot_quote(colour), "penwidth": "0",
            "id": dot_quote(f"sf-edge-{index}-waypoint-{number + 1}"),
            "class": '"sf-waypoint"',
        }))

    def _waypoints_in(self, band: int) -> list[str]:
        """The waypoints (see _waypoints) that links crossing `band` have in it."""
        if not hasattr(self, "_via_by_band"):
            self._via_by_band: dict[int, list[str]] = defaultdict(list)
            self._waypoint_links: dict[str, tuple[int, int]] = {}  # waypoint → (link, its number on the way)
            for index, points in self._waypoints().items():
                for number, (crossed, name, _place) in enumerate(points):
                    self._via_by_band[crossed].append(name)
                    self._waypoint_links[name] = (index, number)
            for number, names in self._via_by_band.items():
                self.bands[number].extra += names
        return self._via_by_band.get(band, [])

    def _through_lanes(self, edge: Edge, tail: str, head: str, attributes: dict[str, str], origin: Origin) -> None:
        """A link drawn through its waypoints (see _waypoints), as parts written down the bands,
        as dot ranks them (written up, links between lanes went round the lanes' end: see
        _up_between_lanes): `sf-edge-N-start` from the link's source, `sf-edge-N-via-K` as the link
        runs on, and `sf-edge-N` into its target; arrows at the stages' ends as the link has them.
        The label, if any, is on the part leaving the source."""
        points = [name for _band, name, _place in self._waypoints()[edge.index]]
        if tail != self._endpoint(edge.source, edge, True)[0]:
            # Written the other way round (see _edge): the link runs from `head` to `tail`.
            tail, head = head, tail
            attributes = {k: v for k, v in attributes.items() if k not in ("ltail", "lhead")} | {
                new: attributes[old] for old, new in (("ltail", "lhead"), ("lhead", "ltail")) if old in attributes}
        down = self.band_of[tail] < self.band_of[head]
        upper, lower = (tail, head) if down else (head, tail)
        stops, _added = self._stops_beside_second_labels(edge.index, [upper, *points, lower])
        common = {k: v for k, v in attributes.items() if k not in (
            "dir", "arrowhead", "arrowtail", "label", "id", "ltail", "lhead", "tailport", "headport")}
        parts = [dict(common) for _ in range(len(stops) - 1)]
        # The part at the source and the one at the target, as the flow runs.
        source_part, target_part = (0, len(parts) - 1) if down else (len(parts) - 1, 0)
        for number, part in enumerate(parts):
            # Numbered as the flow runs, from the part after the source's.
            part["id"] = dot_quote(f"sf-edge-{edge.index}-via-{number if down else len(parts) - 1 - number}")
        parts[source_part]["id"] = dot_quote(f"sf-edge-{edge.index}-start")
        parts[target_part]["id"] = dot_quote(f"sf-edge-{edge.index}")
        if "label" in attributes:
            parts[source_part]["label"] = attributes["label"]
        # The link's ends drawn where it meets its stages: at the tail of the first part (the
        # upper stage) and at the head of the last (the lower).
        upper_end, lower_end = (edge.start, edge.end) if down else (edge.end, edge.start)
        for number, part in enumerate(parts):
            start = upper_end if number == 0 else END_NONE
            end = lower_end if number == len(parts) - 1 else END_NONE
            _set_arrows(part, start, end)
        for stage, key in ((tail, "ltail"), (head, "lhead")):
            if key in attributes:  # a link to a subgraph: clipped at its border
                if stage == upper:
                    parts[0]["ltail"] = attributes[key]
                else:
                    parts[-1]["lhead"] = attributes[key]
        for number, part in enumerate(parts):
            # The parts meet at the waypoints' centres: clipped at a point's edge, the line
            # showed a gap there.
            if number > 0:
                part["tailclip"] = "false"
            if number < len(parts) - 1:
                part["headclip"] = "false"
        guided = self._waypoints_in_empty_lanes(edge)
        for (start, end), part in zip(zip(stops, stops[1:]), parts):
            self.line(1, f"{start} -> {end}" + self.attributes(part), origin)
            if start in guided or end in guided:
                self._guide_between_rows(start, end)

    def _waypoints_in_empty_lanes(self, edge: Edge) -> frozenset[str]:
        """The waypoints of `edge`, a link forward drawn through waypoints (see _through_lanes),
        that stand in lanes with no stage (see _waypoint_place): the parts into and out of them
        get a twin that ranks (see _guide_between_rows).

        Left without, the parts do not rank, and dot set the point where the part below such a
        waypoint crosses the space before the next lane wherever it fell, at the far end of that
        space, and the link ran out there and back (charts(300, 424242) of
        tests/generated_charts.py, generated-273 drawn right to left: Qualify the inbound lead
        in Sales down past an empty Presales to Legal review, 990 pt for 260 pt). An empty lane
        has no stages whose order the twin could unsettle; the stages at the parts' other ends
        keep theirs, each held in its band. Not for a link back: with twins on generated-273's
        feedback too, up through the same lane, Review's link ran through its own label (drawn
        bottom to top) and 90% lay over Collect payment (right to left)."""
        if edge.index in self._back_edges():
            return frozenset()
        return frozenset(name for band, name, _place in self._waypoints()[edge.index] if not self.bands[band].nodes)

    def _up_between_lanes(self, edge: Edge, tail: str, head: str) -> bool:
        """Whether a labelled link runs up from a lane's band to the band of the lane before it
        (above, or left of it in a drawing down the page), each lane one band: written down the
        bands, as dot ranks them, with its arrow turned, as a second such link through a label
        of its own already is (see _between_lanes_through_label, which turns that one itself).
        Written up, dot sent some round the lanes' end (the sample b2b-lanes: 否，修改条款 up
        from 财务/法务 to 销售; measured on the corpus and the generated charts: detours 38 → 34
        and 335 → 335; in lanes wrapped into several bands, the generated charts drew more such
        detours than they saved). Down the page too since a lane's stages are written in the
        order they are drawn (see _lane_items_as_drawn): in export-trade-zh flipped, written up,
        返单跟进 from 收汇核销 back to 询盘 crowded the loop 否，改样 beside 外贸业务员's stages
        out past the lane's end (detours 14 → 12 and 230 → 228, nothing else drawn worse;
        before, such links drew more detours than they saved). Not
        next to a band where dot draws a link past stages as an arc, for the reason
        _between_lanes_through_label gives."""
        if not self._is_labelled(edge) or (bands := self._up_to_the_lane_before(tail, head)) is None:
            return False
        if edge.index in self._repeated_links_between_lanes():
            return False
        return not (set(bands) & self._bands_with_arcs()) or edge.index in self._branches_up_together()

    def _up_to_the_lane_before(self, tail: str, head: str) -> Optional[tuple[int, int]]:
        """The numbers of the bands of `tail` and `head` when a link between them runs up from a
        lane's band to the band of the lane just before it, each of the two lanes one band (see
        _up_between_lanes, _unlabelled_up_between_lanes); None otherwise."""
        if tail not in self.band_of or head not in self.band_of:
            return None
        lower, upper = self.bands[self.band_of[tail]], self.bands[self.band_of[head]]
        if lower.index - upper.index != 1 or lower.lane is None or upper.lane is None:
            return None
        # Counted once, not over every band per link.
        try:
            bands_of_lane = self._bands_of_lane
        except AttributeError:
            bands_of_lane = self._bands_of_lane = Counter(band.lane for band in self.bands)
        if sum(bands_of_lane[lane] for lane in {lower.lane, upper.lane}) != 2:
            return None
        return lower.index, upper.index

    def _first_of_repeated_links_between_lanes(self) -> frozenset[int]:
        """The first labelled link between two stages of neighbouring bands of lanes (or rows of
        one lane) that a later labelled link between the same two stages repeats (see
        _repeated_links_between_lanes: that one runs through a label of its own). A link at a
        wrapped lane's turn keeps its turning points (see _turns)."""
        if not hasattr(self, "_first_repeated"):
            first: dict[tuple[str, str], int] = {}
            found = set()
            repeated = self._repeated_links_between_lanes()
            for edge, ends in self._link_ends(labelled=True):
                if edge.index not in repeated:
                    first.setdefault(ends, edge.index)
                elif ends in first:
                    found.add(first[ends])
            self._first_repeated = frozenset(found)
        return self._first_repeated

    def _first_of_repeated_through_label(
        self, edge: Edge, tail: str, head: str, attributes: dict[str, str], origin: Origin,
    ) -> None:
        """The first of two labelled links between the same two stages of neighbouring lanes
        (see _first_of_repeated_links_between_lanes) drawn through a label of its own, as the
        second is (see _between_lanes_through_label), the label pulled towards both stages.

        Left to dot, its label went wherever the space between the lanes had room, past the
        other links crossing there: tender-bid-approvals drawn left to right and highlighted,
        是 from 是否中标? to 保证金退回 ran out to its label and back (948 pt for 249 pt between
        its stages) beside 否 through its label by the stages. Through a label not pulled in,
        the same; with the link left whole and an invisible twin that ranks, the drawing
        without highlights sent two other links round (内部评审 to 报价审批, 评审通过? to
        保证金缴纳)."""
        self._between_lanes_through_label(edge, tail, head, attributes, origin)
        label = _internal(f"across-{edge.index}")
        upper, lower = sorted((tail, head), key=lambda name: self.band_of[name])
        self.line(1, f"{upper} -> {label} [style=invis, weight=10]")
        self.line(1, f"{label} -> {lower} [style=invis, weight=10]")

    def _labelled_up_to_the_lane_before(self, edge: Edge) -> Optional[tuple[str, str, _Band, _Band]]:
        """The stage a link leaves, the stage it goes to and their two bands, when the link has
        text of its own (a label, a rate, a note shown; not a highlight tag alone) and runs up
        from a lane's band to the band just before it, another lane's; otherwise None."""
        if not (edge.label or edge.rate is not None or (edge.note and self.options.show_meta)):
            return None
        source, target = self._endpoint(edge.source, edge, True)[0], self._endpoint(edge.target, edge, False)[0]
        if source not in self.band_of or target not in self.band_of:
            return None
        lower, upper = self.bands[self.band_of[source]], self.bands[self.band_of[target]]
        if lower.index - upper.index != 1 or None in (lower.lane, upper.lane) or lower.lane == upper.lane:
            return None
        return source, target, lower, upper

    def _labelled_up_from_mid_row(self, edge: Edge) -> bool:
        """Whether a link with text of its own (a label, a rate, a note shown; not a highlight
        tag alone) runs up from a lane's band to the band before, another lane's, from a stage
        inside its band to a stage inside the other, neither at its band's start or end, and
        either no more than one other link joins the two bands, or its two stages stand about
        as far across their bands (see _across_row: MID_ROW_REACH apart or less). Such a link
        repeated between the two bands has its label pulled towards the stage it leaves (see
        _pull_repeated_label_to_source)."""
        found = self._labelled_up_to_the_lane_before(edge)
        if found is None:
            return False
        source, target, lower, upper = found
        if not all(0 < self.place_in_band[stage] < len(band.nodes) - 1
                   for stage, band in ((source, lower), (target, upper))):
            return False
        if abs(self._across_row(source) - self._across_row(target)) <= MID_ROW_REACH:
            return True
        return self._links_between_bands(lower.index, upper.index) <= 2

    def _sole_labelled_up_to_the_lane_before(self, edge: Edge) -> bool:
        """Whether a link with text of its own (a label, a rate, a note shown; not a highlight
        tag alone) runs up from a lane's band to the band before, another lane's, each of more
        than one stage, with no more than one other link between the two bands, and is not
        written down the bands as one link (see _up_between_lanes). See
        _sole_up_to_the_lane_before_through_label."""
        found = self._labelled_up_to_the_lane_before(edge)
        if found is None:
            return False
        source, target, lower, upper = found
        return (len(lower.nodes) > 1 and len(upper.nodes) > 1 and self._links_between_bands(lower.index, upper.index) <= 2
                and not self._up_between_lanes(edge, source, target))

    def _sole_up_to_the_lane_before_through_label(
        self, edge: Edge, tail: str, head: str, attributes: dict[str, str], upward: bool, origin: Origin,
    ) -> None:
        """A labelled link up to the lane before with one other link between the two bands at
        most, the only labelled one (see _sole_labelled_up_to_the_lane_before), drawn through a
        label of its own pulled towards both stages, as the first of two repeated links is (see
        _first_of_repeated_through_label). `upward`: `tail` and `head` were turned for the link
        to be written down the bands (see _up_between_lanes); they are turned back here, for
        _between_lanes_through_label to turn the label's parts itself.

        Left as one link that does not rank, dot gave its label no pull and set it wherever
        the space between the lanes had room (generated-114: retry from the decision near the
        top of Presales to the first stage of Sales, lanes drawn down the page, its label
        halfway down the page, 1,730 pt for 482 pt; now 257 pt). Measured on the generated
        charts (tests/generated_charts.py) against 22 detours: 21 this way, nothing else drawn
        worse. Every labelled link up to the lane before so drawn: 21 too, but generated-369
        flipped drew labels over stages and the layout corpus (tests/layout_corpus.py) a
        detour (tender-bid-approvals flipped); only those between stages inside their bands
        (see _labelled_up_from_mid_row), that detour too; those beside one other link at most
        and inside their bands, 21, but retry was shortened only by another link so drawn and
        still ran down beside Presales and back to its label. Nor a link already written down
        the bands (see _up_between_lanes): so drawn, the sample b2b-lanes' 验收单，通知开票 sent
        合同生效，交接项目 past it in an S round 开票回款 (1,056 pt → 1,431 pt). Measured on the
        layout corpus: auto-dealer-4s' 否，改全款 now runs beside its stages (its links 2,814 pt
        in all → 2,529 pt), nothing else changed."""
        if upward:
            tail, head = head, tail
            attributes = {("lhead" if key == "ltail" else "ltail" if key == "lhead" else key): value
                          for key, value in attributes.items()}
        self._first_of_repeated_through_label(edge, tail, head, attributes, origin)

    def _handoff_at_rows_end(self, edge: Edge, tail: str, head: str) -> bool:
        """Whether a link with text (a label, a rate, a note shown or a highlight tag) hands the
        flow over from the last stage of a lane's band to the first stage of the next band,
        another lane's, both at the end of their bands where the rows' last anchors are (see
        _share_from_first), each band of more than one stage, no other link joins the two bands,
        no link through waypoints in both bands passes either of them in the half by the rows'
        first anchors, and none passes the later band alone. See
        _handoff_at_rows_end_through_label.

        Another link between the same two bands: with the point a link past second labels keeps
        (see _points_beside_second_labels), generated-156 drew its 69% through its label by 试用
        and the label of 未成交, from 与客户关键决策人完成首次需求访谈？ up to 签约 in the same
        space, was set past it, the link running out and back (598 pt for 193 pt)."""
        if tail not in self.band_of or head not in self.band_of:
            return False
        upper, lower = self.bands[self.band_of[tail]], self.bands[self.band_of[head]]
        if lower.index - upper.index != 1 or None in (upper.lane, lower.lane) or upper.lane == lower.lane:
            return False
        if not (len(upper.nodes) > 1 and len(lower.nodes) > 1 and upper.nodes[-1] == tail
                and lower.nodes[0] == head and self._share_from_first(tail) == self._share_from_first(head) == 1):
            return False
        if self._links_between_bands(upper.index, lower.index) > 1:
            return False
        bands = {upper.index, lower.index}
        for points in self._waypoints().values():
            crossed = {band for band, _name, _place in points} & bands
            if crossed == bands and any(
                    band in bands and self._waypoint_share_from_first(band, place) < 0.5
                    for band, _name, place in points):
                return False
            if crossed == {lower.index}:
                return False
        return True

    def _waypoint_share_from_first(self, band: int, place: int) -> float:
        """How far along `band`, from its first anchor, a waypoint before its stage `place` is
        drawn (see _share_from_first): 0 before the band's stages at that end, 1 past them at
        the other (a place past the turning points, -1 or one past the last stage, counts as
        the end it is beyond, see _places_past_turns)."""
        count = len(self.bands[band].nodes)
        share = min(max(place, 0), count) / count
        return 1 - share if self._runs_backwards(self.bands[band]) else share

    def _handoff_at_rows_end_through_label(
        self, edge: Edge, tail: str, head: str, attributes: dict[str, str], origin: Origin,
    ) -> None:
        """A labelled hand-off from the end of one lane's band to the start of the next lane's,
        at the rows' last anchors (see _handoff_at_rows_end), drawn through a label of its own
        pulled towards both stages, as the first of two repeated links is (see
        _first_of_repeated_through_label).

        Left as one link that does not rank, dot set its label wherever the space between the
        lanes had room, often at the space's far end past the other links' labels, and the
        link ran out there and back. Drawn with --highlight, a hand-off without a note carries
        its finding's tag as a label, so a link dot drew straight plain ran the long way
        highlighted (generated-199 drawn right to left: the hand-off from 渠道伙伴资质审核与授权
        签约 to 售后工单分派与满意度回访, 767 pt for 227 pt; -318: from 法务审核合同条款并提交审批
        to 财务确认回款并开具增值税发票, 1,252 pt for 266 pt).

        Measured on the generated charts (tests/generated_charts.py), against 18 detours: at
        either end of the rows, with no look at links through waypoints, 15, but
        generated-177 highlighted (lanes left to right, the hand-off from Kickoff at the rows'
        first anchors) sent `no` from Qualify? up past Sales out along the space between the
        lanes and back (3,893 pt for 910 pt), and generated-156 drew 未成交 from
        售后工单分派与满意度回访？ through its waypoints by the rows' first anchors out to the
        space's far end (2,707 pt for 594 pt), as the pull of a second label between the two
        lanes did (see _pull_second_label). Tried on those charts and generated-018: pulled
        towards the stage it leaves alone, -177 and -156 the same; towards the stage it goes
        to alone, -318 still ran long and -018 flipped and highlighted drew a detour; pulled
        with weight 1, -177 the same; not pulled, -318 still long and -177 with the hand-off
        itself long. Only at the rows' last anchors and not beside such a link through
        waypoints: 16, none new (-199 and -318 highlighted gone). Nor beside a link through a
        waypoint in the later band alone: the pull set the later lane's first stage under the
        hand-off's first, and such a link, up past that stage into the earlier band, went round
        it (generated-115 highlighted: 未成交 from 报价? past 初次联系 up to 交付, the lane moved
        along, 退回's label in the space above pushed out past its stages).

        A tagged hand-off from one end of the rows to the other (generated-018 drawn right to
        left and highlighted: Demo to Ship?, whose tag sent rework from Ship? up past
        Marketing's last row out to a label at the space's far end, 1,970 pt for 498 pt) was
        tried through its label too, with lanes drawn as rows: pulled towards both stages or
        the stage it leaves, retry from the decision beside Ship? ran long instead; towards
        the stage it goes to, rework came short, but measured over every chart the generated
        ones drew 19 detours against 15, the layout corpus 3 against none (tender-bid-approvals
        flipped, b2b-six-departments highlighted) and the other seed's 38 against 32, with a
        link through its own label. Not kept."""
        self._first_of_repeated_through_label(edge, tail, head, attributes, origin)

    def _links_between_bands(self, one: int, other: int) -> int:
        """How many links join band `one` and band `other`, either way."""
        if not hasattr(self, "_band_pair_links"):
            counts: Counter = Counter()
            for edge in self.process.edges:
                ends = [self._endpoint(edge.source, edge, True)[0], self._endpoint(edge.target, edge, False)[0]]
                if None not in ends and all(end in self.band_of for end in ends):
                    counts[frozenset(self.band_of[end] for end in ends)] += 1
            self._band_pair_links = counts
        return self._band_pair_links[frozenset((one, other))]

    def _pull_repeated_label_to_source(self, edge: Edge) -> None:
        """Pull the label of a link repeated between two lanes, up from the middle of a band (see
        _labelled_up_from_mid_row), towards the stage it leaves. Left where dot set it, the
        label went to the far end of the space between the lanes, past the other links
        crossing there, and the link ran out to it and back (generated-379: 未成交 from the
        middle of 售前部 up to 销售部, 1,024 pt for 266 pt; generated-369: 退回 from 谈判？ up to
        演示, 869 pt for 175 pt, and 反馈 beside it).

        Measured on the generated charts (tests/generated_charts.py) against 30 detours: 22
        this way, nothing else drawn worse. The label pulled towards both stages, as the first
        of two repeated links is (see _first_of_repeated_through_label), or towards the stage
        it goes to: stages out of their bands' order (generated-057 flipped: labels over
        stages, links through stages). A link with a stage at its band's end pulled too: labels
        over stages (generated-369 flipped, -053) and generated-156's 未成交 sent round past the
        rows' ends. Every such link from the middle of a band pulled, whatever else crosses
        there: 22 too, but the layout corpus (tests/layout_corpus.py) drew 16 detours where
        there were none (six-lanes-40: 是 from 评审通过? up to 客户高层拜访, 0.23 of a row
        apart, one of four links between the two lanes, moved the stages of both); pulled only
        as far across as MID_ROW_REACH, 25; only beside no other link, 27.

        Up into a band along which dot draws an arc (see _bands_with_arcs), the label went on past
        the lanes' end, after the anchors that hold their last stages in line (generated-157
        drawn left to right: 退回 from 售后工单分派与满意度回访？ up to 季度业务回顾与续约意向确认,
        1,363 pt for 284 pt; generated-057 drawn right to left: retry from Trial?, 1,399 pt for
        366 pt). Pulled towards the stage it goes to as well, there alone, with weight 10, 3 or 1
        or without ranking, 057 still drew Legal's stages out of order (labels over stages, links
        through a stage); with weight 10, 157's 退回 stayed long (1,616 pt) and 未成交 became one
        (2,215 pt for 627 pt). A point in the space, in line with the lanes' last anchors, the
        label held before it (tried in the DOT text): 退回 by its stages, but 销售部 stretched
        past the other lanes' end, and 057 as before. dot's last crossing pass left off
        (remincross=false): no change to either."""
        source = self._endpoint(edge.source, edge, True)[0]
        self.line(1, f"{_internal(f'across-{edge.index}')} -> {source} [style=invis, weight=10]")

    def _unlabelled_up_between_lanes(self, edge: Edge, tail: str, head: str) -> bool:
        """Whether a link without a label runs up from a lane's band to the band of the lane
        before it, each lane one band, with no labelled link between the two bands either way:
        written down the bands with its arrow turned, as a labelled one is (see
        _up_between_lanes). Written up, dot ran it out past the lanes' end and back
        (channel-distributor-zh: 产品与系统培训 up to 首单辅导, 市场物料支持 up to 月度拜访,
        保证金收取 up to 产品与系统培训, each round the right end of the lane above). Not beside
        a labelled link between the same two bands: dot routes the links between two bands
        along one path at first (see _repeated_links_between_lanes), and one turned beside a
        labelled one sent other links round (mobile-store-lanes drawn left to right: 特批审核
        to 办理入网 beside 否; six-lanes-40, tender-bid-approvals flipped)."""
        if self._is_labelled(edge) or (bands := self._up_to_the_lane_before(tail, head)) is None:
            return False
        return not (set(bands) & self._bands_with_arcs()) and frozenset(bands) not in self._bands_joined_by_labels()

    def _bands_joined_by_labels(self) -> frozenset[frozenset[int]]:
        """The pairs of different bands that a labelled link joins, either way."""
        if not hasattr(self, "_label_joined_bands"):
            pairs = set()
            for edge, ends in self._link_ends(labelled=True):
                if None not in ends and all(name in self.band_of for name in ends) and (
                        self.band_of[ends[0]] != self.band_of[ends[1]]):
                    pairs.add(frozenset(self.band_of[name] for name in ends))
            self._label_joined_bands = frozenset(pairs)
        return self._label_joined_bands

    def _branches_up_together(self) -> dict[int, frozenset[int]]:
        """Labelled links up from a lane's band to the band of the lane above, left to right,
        each lane one band, from a stage with another labelled link up to that band (both ways
        out of a decision leading back), each with those links: written down the bands even
        beside a band with an arc (see _up_between_lanes and _between_lanes_through_label).
        Written up there, dot ran them out past the lanes' end and back (tender-bid-approvals
        drawn left to right: 是 and 否，调整报价 from 报价审批 up to 内部评审 and 商务标编写,
        1,354 pt for 182 pt); every link up beside an arc written down sent other links round
        more often than before (measured on the corpus and the generated charts: detours 13 →
        11 and 247 → 247 this way, 13 → 16 and 247 → 246 that way)."""
        if not hasattr(self, "_together_up"):
            up: dict[tuple[str, int], list[int]] = defaultdict(list)
            bands_of_lane = Counter(band.lane for band in self.bands)
            for edge, ends in self._link_ends(labelled=True) if self.across else ():
                if not (ends[0] in self.band_of and ends[1] in self.band_of):
                    continue
                lower, upper = self.bands[self.band_of[ends[0]]], self.bands[self.band_of[ends[1]]]
                if (lower.index - upper.index == 1 and lower.lane is not None and upper.lane is not None
                        and bands_of_lane[lower.lane] == bands_of_lane[upper.lane] == 1):
                    up[(ends[0], upper.index)].append(edge.index)
            self._together_up = {index: frozenset(links) for links in up.values() if len(links) > 1 for index in links}
        return self._together_up

    def _bands_with_arcs(self) -> frozenset[int]:
        """Bands along which a link forward past stages is drawn by dot as an arc over them
        (see `skip` in _edge: in a lane, without `around`)."""
        if not hasattr(self, "_arc_bands"):
            arcs = set()
            if not self.options.around:
                for edge, ends in self._link_ends():
                    if not (ends[0] in self.band_of and ends[1] in self.band_of):
                        continue
                    band = self.band_of[ends[0]]
                    if (band == self.band_of[ends[1]] and self.bands[band].lane is not None
                            and self.place_in_band[ends[1]] - self.place_in_band[ends[0]] > 1):
                        arcs.add(band)
            self._arc_bands = frozenset(arcs)
        return self._arc_bands

    def _between_lanes_through_label(
        self, edge: Edge, tail: str, head: str, attributes: dict[str, str], origin: Origin,
    ) -> None:
        """A labelled link between neighbouring bands of lanes drawn as two edges through its
        label, a small node in the space between the bands (see _repeated_links_between_lanes).
        Not pulled towards its stages as a loop's label is: invisible edges across the bands
        led dot to move stages and anchors out of their bands' order (measured on the corpus).
        Pulled in as the first of two repeated links is (see _first_of_repeated_through_label),
        such links drew fewer detours on the generated charts (133 → 122: generated-369's 退回
        and 反馈 up to 演示 no longer ran out to labels held far along the space) but twelve
        on the layout corpus, against none, and labels over stages and links through their own
        labels on the generated charts; pulled in only going up, 122 and seven on the corpus;
        only going up into a stage another labelled link from the same band enters, 128 and
        four (six-lanes-40 highlighted, sample-b2b-lanes), with labels over others. Pulled in by
        its own two parts instead, written up with the constraint that ranks (weight 1) where
        every other link between bands goes without (against 108: 98, generated-369's 退回 and
        反馈 straight up to 演示, but generated-379 drew 销售部's stages out of order, with two
        labels over stages and a link through a stage, and generated-018 flipped and
        highlighted ran five links through their own labels); only the part at the lower
        stage, 102, with four detours new (generated-156 flipped twice, -062 flipped, -199
        highlighted) and generated-369 highlighted drawing 售前部's stages out of order; that
        part at weight 0 moved no label: what helps is the pull, not the crossing order."""
        name = _internal(f"across-{edge.index}")
        self.loop_labels.append((max(self.band_of[tail], self.band_of[head]), name))
        self.line(1, f"{name}" + self.attributes({
            "shape": "plaintext", "label": attributes["label"], "fontsize": f"{self.pt(10):g}",
            "margin": '"0.04,0.02"', "id": dot_quote(f"sf-edge-{edge.index}-label"), "class": '"sf-edge-label"',
        }))
        common = {k: v for k, v in attributes.items() if k not in (
            "dir", "arrowhead", "arrowtail", "label", "id", "ltail", "lhead")}
        first, second = dict(common), dict(common)
        beside_arc = bool({self.band_of[head], self.band_of[tail]} & self._bands_with_arcs())
        together = beside_arc and edge.index in self._branches_up_together()
        if self.band_of[head] < self.band_of[tail] and (not beside_arc or together):
            # A link up: both parts written down the bands, as dot ranks them, their arrows
            # turned. Written up, dot routed many of them round the lanes' end (measured on the
            # layout corpus: 86 detours against 59). Not next to a band where dot draws a link
            # past stages as an arc: dot then failed to route that arc on a generated chart
            # (but for the branches of a decision up together, see _branches_up_together).
            if "ltail" in attributes:
                first["lhead"] = attributes["ltail"]
            if "lhead" in attributes:
                second["ltail"] = attributes["lhead"]
            first.update(id=dot_quote(f"sf-edge-{edge.index}-start"), **_arrow_end(edge.start, at_head=True))
            second.update(id=dot_quote(f"sf-edge-{edge.index}"), **_arrow_end(edge.end, at_head=False))
            self.line(1, f"{head} -> {name}" + self.attributes(second), origin)
            self.line(1, f"{name} -> {tail}" + self.attributes(first), origin)
            if together and self._branches_up_together()[edge.index] <= self._repeated_links_between_lanes():
                # Each of the branches through a label of its own: the label pulled towards the
                # decision, else dot set this one out past the others, the link running out to it
                # and back (tender-bid-approvals highlighted; pulled towards the stage above too,
                # the stages of that lane came out of order).
                self.line(1, f"{name} -> {tail} [style=invis, weight=10]")
            return
        if "ltail" in attributes:
            first["ltail"] = attributes["ltail"]
        if "lhead" in attributes:
            second["lhead"] = attributes["lhead"]
        if self.band_of[head] < self.band_of[tail] and self.band_of[head] not in self._bands_with_arcs():
            self._up_beside_arc_below_through_label(edge, tail, name, head, first, second, origin)
        else:
            self._parts_through_label(edge, tail, name, head, first, second, origin)
        if self.band_of[head] < self.band_of[tail] and not self.across:
            self._order_up_through_label(tail, name, head)

    def _up_beside_arc_below_through_label(
        self, edge: Edge, tail: str, label: str, head: str, first: dict[str, str], second: dict[str, str],
        origin: Origin,
    ) -> None:
        """The two parts of a labelled link up through its label (see
        _between_lanes_through_label) beside an arc along the lower band alone: the part into
        the stage above written down the bands, from that stage to the label with its arrow
        turned; the part from the stage below as before.

        Written up, as the chart has it, dot routed that part from the label out past the end
        of the lanes and back, though the label stood by its stages (generated-264 of
        tests/generated_charts.py's charts(300, 424242), no layout tuned on it: rework from
        Collect payment and reconcile the invoice? up to Marketing's demo, 4,108 pt for
        337 pt, 1,829 pt for 441 pt drawn down the page; without the arc, approved past the
        decision, the same). Measured with the geometry checkers: charts(300, 424242) detours
        41 -> 32, charts(300, 777001) 25 -> 24, charts(300, 20261203) 40 -> 36, nothing else
        drawn worse; the module's own charts and the layout corpus unchanged. Both parts
        written down, as away from arcs: 27, 23 and 27, but generated-057 of the module's own
        charts, drawn left to right, set 法务部's stages out of order (labels over stages,
        links through stages) and charts(300, 777001) number 271 flipped a label over a stage.
        The part into the stage above alone, beside an arc along the upper band too: 29, 23
        and 24, generated-057 as both parts."""
        first = dict(first, id=dot_quote(f"sf-edge-{edge.index}-start"), **_arrow_end(edge.start, at_head=False))
        second = dict(second, id=dot_quote(f"sf-edge-{edge.index}"), **_arrow_end(edge.end, at_head=False))
        if "lhead" in second:
            second["ltail"] = second.pop("lhead")
        self.line(1, f"{tail} -> {label}" + self.attributes(first), origin)
        self.line(1, f"{head} -> {label}" + self.attributes(second), origin)

    def _pull_second_label(self, edge: Edge, tail: str, head: str) -> None:
        """The label of the second of two labelled links between neighbouring bands of lanes
        (see _between_lanes_through_label) pulled towards the stage in the later band, when its
        two stages are drawn at about the same place along rows of three to eight stages (a
        quarter of the row apart at most, measured from the same end: the rows of a wrapped
        lane run either way, see _share_from_first), and no link through waypoints crosses the
        same space between the two bands.

        Left alone, dot set such a label wherever it first ordered it in the space between the
        lanes, often past the links crossing there, and the link ran out to it and back
        (generated-369: 退回 and 反馈 from 谈判？ and 回访 up to 演示, 869 pt for 175 pt;
        -379's 未成交, -115 highlighted). Where the two stages face each other the pull agrees
        with both. Measured on the generated charts and the layout corpus (detours 30 and 0
        before): pulled for every such link, 31 and 16, with labels set over stages
        (generated-053, -369 flipped and highlighted); for stages facing each other along rows
        of any length, six-lanes-40 (rows of seven and ten) drew fifteen detours and a link
        through a label, the pull moving its lanes along; along rows of two too, key-account-en
        drew one; within a third of the row rather than a quarter, the same counts. Places
        counted in the flow's order rather than as drawn, rows of a wrapped lane running the
        other way looked far apart: 22 against 19 (generated-156's 否 back from 需求了解？ to
        交付 and its 69% the other way, both round 售前部's far end, 2,049 pt for 291 pt; -328
        flipped and highlighted); counted so, within a third drew 26, with labels over stages.
        Beside a link through waypoints in both bands, generated-156's 否 and 69% came short,
        but 未成交 from 售后工单分派与满意度回访？ up past 销售部 to 线索获取 (through a
        waypoint in each of the two rows) went out to the rows' far end and back, 2,706 pt
        for 595 pt: dot ordered that link's point in the space between the rows after the
        pulled label. Such a link now passes through a point of its own there, ordered before
        the label (see _points_beside_second_labels, _pull_second_label_beside_point); beside
        any other link through waypoints in both bands the label is left where dot sets it."""
        lower = max((tail, head), key=lambda name: self.band_of[name])
        bands = {self.band_of[tail], self.band_of[head]}
        if _internal(f"across-{edge.index}") in self._second_labels_beside_points():
            self._pull_second_label_beside_point(edge, tail, head)
            return
        if any(bands <= {point[0] for point in points} for points in self._waypoints().values()):
            return
        if self._second_label_stages_face(tail, head) and not self._labelled_link_to_neighbour(edge, lower):
            self.line(1, f"{_internal(f'across-{edge.index}')} -> {lower} [style=invis, weight=10]")

    def _loop_along_lane_crossed_by_labelled_link(self) -> bool:
        """Whether a labelled loop back runs along a lane of one row that a labelled link
        between two other lanes crosses through a waypoint (see _waypoints): the drawing then
        goes without dot's last crossing pass over the whole of it (remincross=false).

        In that pass dot ordered the loop's label, in the space beside the lane, after the
        label of the link crossing there, at the far end of the space, however it was pulled
        towards its stages, and the loop ran the lane's length to it and back (charts(300,
        424242) generated-212, drawn bottom to top: 否 from 法务审核合同条款并提交审批？ back
        to the stage before, 1,120 pt for 104 pt, its label at the foot of the lanes under
        反馈's, from 售前部 through a waypoint in 销售部 to 市场部). Without the pass it stays
        by its stages. Without it in every drawing with lanes, the layout corpus drew three
        detours and two links through a stage where it had none (six-lanes-40 highlighted:
        F2 to S6, 2,913 pt for 883 pt).

        Other loops beside a lane of one row still run out to a label at the far end of their
        space, and going without the pass does not change them (charts(300, 424242)
        generated-245 flipped, charts(300, 777001) generated-011 highlighted both ways and
        generated-093 flipped and highlighted). Tried for them, and not kept: the loop's label
        ordered before the labels of links through waypoints in its space by an invisible link
        within the space, 212 short too and tests/generated_charts.py detours 9 -> 7, but three
        labels over others, three over stages, two tags over labels, two links through stages
        and one through its own label (generated-003 flipped: 开票 over
        法务审核合同条款并提交审批; generated-157 highlighted); ordered against every label in
        its space by where along the lanes each belongs (midway between its stages), 245
        flipped and 011 highlighted short, but 212 still long and generated-157 drawing labels
        over stages, and only in a space of two labels, 212 drew a second detour (1,596 pt
        for 183 pt); the label held inside the lane's box, 212 and generated-157 flipped and
        highlighted short, but over 25 new detours on tests/generated_charts.py, labels over
        stages and the lanes moved along the page. Pulls change nothing here: 212's label
        stayed where it was with weight 3 or 10 towards either stage or both."""
        if not (self.bands and self.swimlanes) or self.options.around:
            return False
        rows = Counter(band.lane for band in self.bands)
        crossed = {band for index, points in self._waypoints().items()
                   if self._is_labelled(self.process.edges[index]) for band, _name, _place in points}
        for _edge, (tail, head) in self._link_ends(labelled=True):
            if tail in self.band_of and head in self.band_of and self.band_of[tail] == self.band_of[head]:
                band = self.bands[self.band_of[tail]]
                if (band.lane is not None and rows[band.lane] == 1 and band.index in crossed
                        and self.place_in_band[head] < self.place_in_band[tail]):
                    return True
        return False

    def _labelled_link_to_neighbour(self, edge: Edge, stage: str) -> bool:
        """Whether `stage`, an end of `edge`, has another labelled link to the stage next to it
        along its band, one drawn right to left or bottom to top. dot sets that link's label in
        the space before the band, beside the label of `edge` pulled towards `stage` (see
        _pull_second_label): the two neighbours were drawn far apart and dot, unable to route
        the link between them, set its label on the stage next to it (generated-080 of
        tests/generated_charts.py's charts(300, 424242), highlighted: `yes` from Close? over
        Run a tailored product demo, beside `no` from Close? up to Marketing pulled towards
        Close?). Along a band drawn the other way,
        the pull is kept: left unpulled, the link from n9 up to n8 of generated-328 (the
        module's own charts, drawn left to right and highlighted) ran out and back, 1,009 pt
        for 224 pt."""
        band = self.band_of[stage]
        if not self._runs_backwards(self.bands[band]):
            return False
        for other in self.process.edges:
            if other.index == edge.index or not self._is_labelled(other):
                continue
            ends = [self._endpoint(other.source, other, True)[0], self._endpoint(other.target, other, False)[0]]
            if stage in ends and all(end in self.band_of and self.band_of[end] == band for end in ends):
                if abs(self.place_in_band[ends[0]] - self.place_in_band[ends[1]]) == 1:
                    return True
        return False

    def _order_up_through_label(self, tail: str, label: str, head: str) -> None:
        """Invisible twins, written down the bands, of the two parts of a link up through its
        label (see _between_lanes_through_label) that are written up, beside a band with an
        arc. dot orders the stages and labels of a rank by the links between ranks; the parts
        written up counted for little there, and the label was set at the far end of the space
        between the lanes, the link running out to it and back (tender-bid-approvals: 是 from
        报价审批 back to 内部评审, 1,059 pt for 313 pt). The twins do not rank (no link
        between bands does), so the lanes keep their places and lengths; ranking twins moved
        them out of line. Only in a drawing down the page: measured on the layout corpus and
        the generated charts, detours 24 → 23 and 319 → 316, nothing else drawn worse; left to
        right the twins sent as many other links round as they brought back."""
        self.line(1, f"{head} -> {label} [style=invis, constraint=false]")
        self.line(1, f"{label} -> {tail} [style=invis, constraint=false]")

    def _parts_through_label(
        self, edge: Edge, source: str, label: str, target: str, first: dict[str, str], second: dict[str, str],
        origin: Origin,
    ) -> None:
        """The two edges of a link drawn through its label node: `source` to `label` with the
        link's start (`sf-edge-N-start`), `label` to `target` with its end (`sf-edge-N`);
        `first` and `second`: their other attributes."""
        first = dict(first, id=dot_quote(f"sf-edge-{edge.index}-start"), **_arrow_end(edge.start, at_head=False))
        second = dict(second, id=dot_quote(f"sf-edge-{edge.index}"), **_arrow_end(edge.end, at_head=True))
        self.line(1, f"{source} -> {label}" + self.attributes(first), origin)
        self.line(1, f"{label} -> {target}" + self.attributes(second), origin)

    def _across_through_label(
        self, edge: Edge, tail: str, head: str, attributes: dict[str, str], upward: bool, origin: Origin,
    ) -> None:
        """A labelled link from row to row (see _between_rows), drawn as two guided parts
        through its label, a small node in the space before the later row: dot cannot guide the
        labelled link itself (it merges only unlabelled links into one route), and left alone
        the link ran out past the rows' ends. `tail` is in the earlier row; `upward`: the link
        runs from `head` back to `tail`."""
        name = _internal(f"across-{edge.index}")
        self.loop_labels.append((self.band_of[head], name))
        self.line(1, f"{name}" + self.attributes({
            "shape": "plaintext", "label": attributes["label"], "fontsize": f"{self.pt(10):g}",
            "margin": '"0.04,0.02"', "id": dot_quote(f"sf-edge-{edge.index}-label"), "class": '"sf-edge-label"',
        }))
        common = {k: v for k, v in attributes.items() if k not in ("dir", "arrowhead", "arrowtail", "label", "id")}
        # Each part is written down the rows, as its guide must be; its arrow, if any, drawn at
        # the stage end: at the head of the part into `head`, at the tail of the part from `tail`.
        source_end, target_end = (head, tail) if upward else (tail, head)
        for stage, kind in ((source_end, edge.start), (target_end, edge.end)):
            part = dict(common, id=dot_quote(f"sf-edge-{edge.index}" + ("-start" if stage == source_end else "")))
            if kind == END_NONE:
                part["dir"] = "none"
            elif stage == tail:
                part.update(dir="back", arrowtail=_ARROWS[kind])
            elif kind != END_ARROW:
                part["arrowhead"] = _ARROWS[kind]
            ends = (tail, name) if stage == tail else (name, head)
            self.line(1, f"{ends[0]} -> {ends[1]}" + self.attributes(part), origin)
            self._guide_between_rows(*ends)

    def _between_rows(self, tail: str, head: str) -> bool:
        """Whether a link joins two different bands of a drawing without lanes or other boxes
        round its stages (the rows, or columns, of a wrapped flow), other than a narrow one for
        a phone (there a guided link back ran through the stages of the column it passes)."""
        return (
            not self.swimlanes and not self.subgraphs and not self.options.narrow
            and tail in self.band_of and head in self.band_of
            and self.band_of[tail] != self.band_of[head]
        )

    def _through_label_between_rows(self, tail: str, head: str) -> bool:
        """Whether a labelled link between two rows (see _between_rows; `tail` in the earlier
        row) is drawn through its label, set between the later row and the one before it (see
        _across_through_label): from a row to the next when the space there is clear (see
        _clear_between), or past rows where it would cross no labelled link along them. (Past
        rows, where _places_across_rows finds a place in each row between, the link takes
        waypoints there too, and is drawn by _past_rows_through_label.)

        Left as one link that does not rank, a link past rows (a loop back two or three rows,
        mostly) ran round the rows' end: dot gives such a link no weight. Through its label,
        each part is guided and kept short, crossing the rows between about where its two
        stages are across the rows. There it could pass between the two stages of a labelled
        link along a row between, and dot then set that link's label over a stage (measured on the generated charts, tests/generated_charts.py:
        detours 333 → 320 with nothing else drawn worse; 327 past rows with no labelled link
        along them at all; past any row, 287, but 27 other defects, labels over stages mostly,
        and dot failed on two; counting a labelled link only with a stage inside the stretch,
        not at its end, 314, but dot failed on one). dot may still fail on a rare layout (it
        did on gov-tender-40 laid out for the BPMN export: "in routesplines, illegal values of
        prev 1 and next 1"); the drawing dot is then given again, with `around`, leaves a link
        past rows as one link."""
        rows = self.band_of[head] - self.band_of[tail]
        if rows == 1:
            return self._clear_between(tail, head)
        if self.options.around:
            return False
        between = range(self.band_of[tail] + 1, self.band_of[head])
        ends = sorted(self._across_row(stage) for stage in (tail, head))
        return rows > 1 and not any(
            ends[0] <= high and low <= ends[1] for band in between for low, high in self._labelled_along(band))

    def _across_row(self, stage: str) -> float:
        """How far across its row `stage` sits: 0 at the rows' start, 1 at their end, whichever
        way the row runs (a wrapped flow's rows are of even length, see _plan_bands)."""
        band = self.bands[self.band_of[stage]]
        share = self.place_in_band[stage] / (len(band.nodes) - 1) if len(band.nodes) > 1 else 0.5
        return 1 - share if band.turned else share

    def _labelled_along(self, band: int) -> list[tuple[float, float]]:
        """Where across `band` (see _across_row) each labelled link joining two neighbouring
        stages of it forward runs: the one kind of link along a band whose label dot sets
        itself (the others run through label nodes, see _loop_through_label)."""
        if not hasattr(self, "_labelled_bands"):
            found: dict[int, list[tuple[float, float]]] = defaultdict(list)
            for edge, ends in self._link_ends(labelled=True):
                if edge.index in self._repeated_labelled_links():
                    continue
                if None not in ends and (ends[0] in self.band_of and ends[1] in self.band_of) and (
                        self.band_of[ends[0]] == self.band_of[ends[1]]
                        and self.place_in_band[ends[1]] - self.place_in_band[ends[0]] == 1):
                    low, high = sorted(self._across_row(end) for end in ends)
                    found[self.band_of[ends[0]]].append((low, high))
            self._labelled_bands = dict(found)
        return self._labelled_bands.get(band, [])

    def _guide_between_rows(self, tail: str, head: str) -> None:
        """An invisible twin of the link just written from `tail` to `head`, between two rows.

        The drawn link does not rank (constraint=false), and dot then gives it no weight and no
        cost for crossing: the points it passes through between the rows are left wherever they
        happen to fall, often past the end of the rows, and the link runs round them (a link
        from the end of one row to the end of the next went round the start of both). dot merges
        a link with the unlabelled link between the same two stages that follows it into one
        route, and this twin does rank: the route then weighs and is kept short. Written from
        the earlier row to the later, it agrees with the rows' order. (In lanes the twin would
        unsettle the order of a lane's stages and the places of the labels along it: measured
        on the generated charts, tests/generated_charts.py; so would it, in a wrapped row through
        two subgraphs, their order.)"""
        self.line(1, f"{tail} -> {head} [style=invis]")

    def _next_along_column(self, tail: str, head: str) -> bool:
        """Whether a link joins neighbouring stages of a band that runs down the page (a column:
        dot's ranks then run across, `rankdir=LR`, and the link runs along one)."""
        return (
            not self.across and tail in self.band_of and head in self.band_of
            and self.band_of[tail] == self.band_of[head]
            and abs(self.place_in_band[tail] - self.place_in_band[head]) == 1
        )

    def _turns(self) -> dict[int, tuple[str, str]]:
        """Links from the last stage of a row of a lane wrapped into rows to the first of the
        lane's next row (the turn, where the flow runs on along the next row the other way),
        each with its two turning points: one past the end of the row it leaves, one before the
        start of the row it enters, both on the side of the page where the flow turns.

        Left as one link that does not rank, dot gives it no cost for crossing: the points it
        passes between the rows fell among the labels of the links along the next row, often in
        the middle of the page, and the link (labelled or not) ran there and back. Through its
        turning points it leaves the row's end, runs down (or across) beside the rows' ends, its
        label beside it, and enters the next row's start, as on a printed poster (measured on
        the generated charts, tests/generated_charts.py: detours 253 → 223, nothing else drawn
        worse). Only the part between the two points ranks: a link that ranks between two
        stages of the rows (a twin, or the parts through one point between the rows) let dot
        move other links' points between neighbouring stages, and their labels onto stages."""
        if not hasattr(self, "_turn_points"):
            self._turn_points: dict[int, tuple[str, str]] = {}
            # Not when dot is given a drawing again with links taken round (`around`): should the
            # turns be what it gave up on, that drawing is the one it laid out before them.
            via = None  # the links through waypoints, asked for once
            lasts = {band.nodes[-1] for band in self.bands if band.nodes}  # a turn leaves one of these
            for edge, (tail, head) in self._link_ends() if self.swimlanes and self.bands and not self.options.around else ():
                if edge.index in self.jumps or edge.stroke == "invisible":
                    continue
                if via is None:
                    via = self._waypoints()
                if edge.index in via or tail not in lasts:
                    continue
                # (A link to or from a subgraph is clipped at its border: not a turn.)
                if (tail not in self.band_of or head not in self.band_of
                        or edge.source in self.subgraphs or edge.target in self.subgraphs):
                    continue
                row = self.bands[self.band_of[tail]]
                following = self.bands[row.index + 1] if row.index + 1 < len(self.bands) else None
                # (Not into a row of one stage: dot may set that stage anywhere along the row, and
                # the link then ran from the turn across the page to it.)
                if (row.lane is not None and following is not None and following.lane == row.lane
                        and row.nodes[-1] == tail and following.nodes[0] == head and len(following.nodes) > 1):
                    self._turn_points[edge.index] = (
                        _internal(f"turn-{edge.index}-out"), _internal(f"turn-{edge.index}-in"))
        return self._turn_points

    def _turns_to_lone_stages(self) -> dict[int, str]:
        """Links from the last stage of a row of a lane wrapped into rows to the only stage of
        the lane's next row (not turns, see _turns), each with one turning point past the end of
        the row it leaves, on the side of the page where the flow turns.

        Left as one link that does not rank, dot set the place where it crosses the space
        between the two rows among the labels held there, nearer the rows' start, and the link
        ran along beneath the row to it and back (charts(300, 777001) number 240 drawn left to
        right: from Qualify past rework's label to Invoice, 821 pt for 166 pt; number 276: 谈判
        to 验收 past 反馈's, 1,110 pt for 138 pt). From its point, the part down to the stage
        ranks and keeps to the line of the rows' ends (its group), as the middle part of a turn
        does; the stage has no point before it, which would let dot set it anywhere along its
        row (see _turns). A label goes with the part that ranks, as a turn's does."""
        if not hasattr(self, "_lone_turn_points"):
            self._lone_turn_points: dict[int, str] = {}
            # (stage it leaves, point), in the same order: the bands and the jumps look a turn up
            # by the stage it leaves.
            self._lone_turn_tails: list[tuple[str, str]] = []
            via = None
            lasts = {band.nodes[-1] for band in self.bands if band.nodes}  # such a link leaves one of these
            for edge, (tail, head) in self._link_ends() if self.swimlanes and self.bands and not self.options.around else ():
                if tail not in lasts or edge.index in self.jumps or edge.stroke == "invisible":
                    continue
                if (tail not in self.band_of or head not in self.band_of
                        or edge.source in self.subgraphs or edge.target in self.subgraphs):
                    continue
                row = self.bands[self.band_of[tail]]
                following = self.bands[row.index + 1] if row.index + 1 < len(self.bands) else None
                if not (row.lane is not None and following is not None and following.lane == row.lane
                        and row.nodes[-1] == tail and following.nodes == [head]):
                    continue
                if via is None:
                    via = self._waypoints()
                if edge.index not in via:
                    self._lone_turn_points[edge.index] = point = _internal(f"turn-{edge.index}-out")
                    self._lone_turn_tails.append((tail, point))
        return self._lone_turn_points

    def _lone_turns_by_tail(self) -> list[tuple[str, str]]:
        """The turns to lone stages (see _turns_to_lone_stages) as (the stage each leaves, its
        point), in the same order."""
        self._turns_to_lone_stages()
        return self._lone_turn_tails

    def _with_point_before_lone_stage(self, band: _Band, nodes: list[str]) -> list[str]:
        """`nodes`, the stages of `band` (with points), with the turning point of a link from its
        last stage to a lone stage in the next row (see _turns_to_lone_stages) just after it."""
        for tail, point in self._lone_turns_by_tail():
            if self.band_of[tail] == band.index and tail in nodes:
                at = nodes.index(tail) + 1
                nodes = [*nodes[:at], point, *nodes[at:]]
        return nodes

    def _round_the_turn_to_lone_stage(
        self, edge: Edge, tail: str, head: str, attributes: dict[str, str], origin: Origin,
    ) -> None:
        """A link to a lone stage in the next row of its lane (see _turns_to_lone_stages), drawn
        as two parts through its turning point: `sf-edge-N-start` along the row to its end, and
        `sf-edge-N` down (or across) to the stage, which ranks."""
        point = self._turns_to_lone_stages()[edge.index]
        common = {k: v for k, v in attributes.items() if k not in (
            "dir", "arrowhead", "arrowtail", "id", "tailport", "headport")}
        first, second = dict(common), dict(common)
        first.pop("label", None)
        second.pop("constraint", None)
        second["weight"] = str(BAND_WEIGHT)
        first["id"] = dot_quote(f"sf-edge-{edge.index}-start")
        second["id"] = dot_quote(f"sf-edge-{edge.index}")
        _set_arrows(first, edge.start, END_NONE)
        _set_arrows(second, END_NONE, edge.end)
        # (The parts meet at the point's centre, as a turn's do.)
        first["headclip"] = second["tailclip"] = "false"
        self.line(1, f"{tail} -> {point}" + self.attributes(first), origin)
        self.line(1, f"{point} -> {head}" + self.attributes(second), origin)
        side = "first" if self._runs_backwards(self.bands[self.band_of[tail]]) else "last"
        self.line(1, f"{point} [group={dot_quote('sf ' + side)}]")

    def _turns_right_beside(self, stage: str) -> bool:
        """Whether the link from `stage` (a DOT name) to a lone stage in the next row turns at a
        point just right of it (see _turns_to_lone_stages): the row runs left to right."""
        if not any(tail == stage for tail, _point in self._lone_turns_by_tail()):
            return False
        return self.across and not self._runs_backwards(self.bands[self.band_of[stage]])

    def _turns_in(self, lane: str, late: bool = False) -> list[tuple[int, int, str]]:
        """The turning points (see _turns) inside `lane`: (link, number along it, point); `late`:
        only those of turns past a space where a label is held in the lane (see _held_gaps),
        else only the others."""
        out = []
        for index, points in self._turns().items():
            edge = self.process.edges[index]
            row = self.band_of[self._endpoint(edge.source, edge, True)[0]]
            if self.bands[row].lane == lane and (row + 1 in self._held_gaps()) == late:
                out += [(index, number, point) for number, point in enumerate(points)]
        return out

    def _held_gaps(self) -> frozenset[int]:
        """The spaces between two rows of a lane where a labelled link back a row has its label
        held in the lane (see _back_a_row_through_label). Declared before the stages there, a
        turn's points made dot 2.43 fail ("trouble in init_rank": retail-store-lanes at three a
        row); the points of a turn past such a space are declared after them (dot then lays out
        every chart of the corpus at two to four a row, but sends more links round: detours on
        the generated charts 204 → 227)."""
        if not hasattr(self, "_held"):
            held = set()
            for edge, ends in self._link_ends(labelled=True):
                if None not in ends and self._back_a_row_of_lane(*ends):
                    held.add(self.band_of[ends[0]])
            self._held = frozenset(held)
        return self._held

    def _hold_gap_anchor_in_lane(self, gap: str, number: int) -> None:
        """Declare `gap`, the anchor of the space before band `number` (a rank of its own that
        holds loops' labels, in the line of the bands' first anchors, see _band_constraints),
        inside the lane when a turn (see _turns) crosses that space on the side where the rows'
        last anchors are (see _hold_in_lane), but for a space where a label is held in the lane
        (see _held_gaps).

        Outside the lane, dot set the anchor past the lane's box, often beyond the rows' ends:
        the line of first anchors then ran from the start of one row across the lane to the
        anchor and back to the start of the next, and the turn, ordered on the far side of that
        line, ran out across the page and back (generated-162 drawn right to left: 989 pt for
        209). Held in the lane, the anchor stays in the line of the rows' starts. (Measured on
        the generated charts, tests/generated_charts.py, together with _labels_past_gap_anchor:
        detours 189 → 167, those at a turn 29 → 21, no other defect. Held in a space with a
        label held too, dot 2.43 failed ("trouble in init_rank": retail-store-lanes at three a
        row), though the generated charts then came to 150 and their turns that detour to 6.
        Held for every turn, those on the side of the first anchors too, more links past stages
        between the rows went round the lane's end.)"""
        if self._gap_anchor_held(number):
            self._hold_in_lane(gap, number)

    def _gap_anchor_held(self, number: int) -> bool:
        """Whether the anchor of the space before band `number` is held in its lane (see
        _hold_gap_anchor_in_lane)."""
        # The spaces after the rows whose turn is on the side of the last anchors, found once:
        # asked for each loop's label, a look over every turn made a large chart's labels cost
        # its turns times its loops.
        try:
            crossed = self._crossed_on_last_side
        except AttributeError:
            crossed = self._crossed_on_last_side = frozenset(
                self._turn_row(index) + 1 for index in self._turns() if self._turn_side(index) == "last")
        return number not in self._held_gaps() and number in crossed

    def _labels_past_gap_anchor(self, gap: str, number: int, labels: list[str]) -> None:
        """Order the labels of loops along a band among `labels` (the nodes in the space before
        band `number`) after `gap`, that space's anchor, in a drawing with turns (see _turns)
        where the anchor is outside every lane (see _hold_gap_anchor_in_lane) and the labels too
        (not between two rows of one lane, see _hold_in_lane).

        The anchor keeps to the line of the rows' first anchors, and a label ordered before it
        is held past the rows' start, however it is pulled towards its stages. dot's last
        crossing pass over the whole drawing put such labels back after it; the turns go
        without that pass (remincross=false), and a labelled loop back to the stage before it
        ran out round the lane's start to its label and back (generated-364 drawn down the page:
        588 pt for 104 pt, its label above the lane). (Measured on the generated charts,
        tests/generated_charts.py, with the anchors held in every space a turn crosses on the
        side of the last anchors: detours 167 → 150, no other defect; with the labels of links
        between rows too: 160; only before the first band and after the last: 154. With the
        anchors held as they are now, 167 → 166 against ordering labels held in a lane too,
        which ran generated-032's `no`, flipped, the long way: 634 pt for 207.)"""
        if not self._turns() or self._gap_anchor_held(number) or self._between_rows_of_a_lane(number):
            return
        loop = _internal("loop-")[:-1]  # (the names of loops' labels, see _loop_through_label)
        for label in labels:
            if label.startswith(loop):
                self.line(1, f"{gap} -> {label} [style=invis]")

    def _between_rows_of_a_lane(self, number: int) -> bool:
        """Whether the space before band `number` lies between two rows of one lane, where a
        loop's label is held in the lane (see _hold_in_lane)."""
        lanes = {self.bands[n].lane for n in (number - 1, number) if 0 <= n < len(self.bands)}
        return 0 < number < len(self.bands) and len(lanes) == 1 and None not in lanes

    def _turn_row(self, index: int) -> int:
        """The band that the link `index` at a turn (see _turns) leaves."""
        edge = self.process.edges[index]
        return self.band_of[self._endpoint(edge.source, edge, True)[0]]

    def _turn_side(self, index: int) -> str:
        """The end of the rows, `first` or `last` (their anchors, see _band_anchors), where the
        link `index` at a turn (see _turns) turns."""
        return "first" if self._runs_backwards(self.bands[self._turn_row(index)]) else "last"

    def _with_turn_points(self, band: _Band, nodes: list[str]) -> list[str]:
        """`nodes`, the stages of `band` in flow order, with the turning points (see _turns) of
        the links leaving it at its end and of those entering it at its start."""
        if not self._turns():
            return nodes
        if not hasattr(self, "_points_by_band"):
            self._points_by_band: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
            for index, (out, into) in self._turns().items():
                edge = self.process.edges[index]
                row = self.band_of[self._endpoint(edge.source, edge, True)[0]]
                self._points_by_band[row][1].append(out)
                self._points_by_band[row + 1][0].append(into)
        before, after = self._points_by_band.get(band.index, ([], []))
        return before + list(nodes) + after

    def _round_the_turn(self, edge: Edge, tail: str, head: str, attributes: dict[str, str], origin: Origin) -> None:
        """A link at a lane's turn (see _turns), drawn as three parts through its turning
        points: `sf-edge-N-start` along the row to its end, `sf-edge-N-via-1` between the rows,
        which ranks (so it weighs and crosses at a cost) and carries the label, and `sf-edge-N`
        along the next row into its start. The points keep to the line of the rows' anchors on
        that side (their group)."""
        out, into = self._turns()[edge.index]
        common = {k: v for k, v in attributes.items() if k not in (
            "dir", "arrowhead", "arrowtail", "label", "id", "tailport", "headport")}
        parts = [dict(common) for _ in range(3)]
        parts[1].pop("constraint", None)
        parts[1]["weight"] = str(BAND_WEIGHT)
        for part, name in zip(parts, ("start", "via-1", None)):
            part["id"] = dot_quote(f"sf-edge-{edge.index}" + (f"-{name}" if name else ""))
        if "label" in attributes:
            parts[1]["label"] = attributes["label"]
        _set_arrows(parts[0], edge.start, END_NONE)
        _set_arrows(parts[1], END_NONE, END_NONE)
        _set_arrows(parts[2], END_NONE, edge.end)
        # The parts meet at the points' centres: clipped at a point's edge, the line showed a gap.
        parts[0]["headclip"] = parts[1]["tailclip"] = parts[1]["headclip"] = parts[2]["tailclip"] = "false"
        for (start, end), part in zip(((tail, out), (out, into), (into, head)), parts):
            self.line(1, f"{start} -> {end}" + self.attributes(part), origin)
        row = self.bands[self.band_of[tail]]
        side = "first" if self._runs_backwards(row) else "last"
        for point in (out, into):
            self.line(1, f"{point} [group={dot_quote('sf ' + side)}]")

    def _light_pull_of_twin(self, band: int, source: str, target: str, start: int, end: int) -> tuple[str, ...]:
        """The stage the label of the second of two labelled links between two neighbouring
        stages of a lane (`是` and `否` both to the next stage, see _repeated_labelled_links) is
        pulled towards lightly: the later of the two along the band. The first link's label,
        along the stretch, keeps every other pull off (see _light_pull), and the label was left
        wherever its space had room, often past the lane's end, with the link round to it
        (measured on the generated charts, tests/generated_charts.py: detours 223 → 204, nothing
        else drawn worse; pulled towards both stages, the lane's stages came out of order)."""
        if self.bands[band].lane is None or abs(end - start) != 1:
            return ()
        return (max((source, target), key=lambda name: self.place_in_band[name]),)

    def _points_beside_second_labels(self) -> dict[int, list[tuple[str, str, str, int, list[str]]]]:
        """Links through waypoints (see _waypoints) that cross the space between two
        neighbouring bands where the label of a second labelled link between those bands sits
        (see _between_lanes_through_label, pulled by _pull_second_label), each with, for every
        such space: the two waypoints it runs between there, a point of its own in that space,
        the space's number, and the labels there it is ordered before (on the side of the
        bands' first anchors).

        dot orders the point where a link crosses a space between bands as it likes, and set
        it on the far side of such a label: pulled towards its stages, the label sent the link
        out along the space to the rows' far end and back (generated-156: 未成交 from
        售后工单分派与满意度回访？ up past 销售部 to 线索获取, 2,706 pt for 595 pt, beside 否
        back from 需求了解？ to 交付). Through a point of its own held on the side where its
        stops are, as seen from the label's stages, the link keeps to that side. Only between
        two waypoints (not a part into a stage, or into the link's own label, see
        _past_rows_through_label), both before the label's stages, on the side of the first
        anchors, where the point is held between the space's anchor and the label; only for a
        label _pull_second_label pulls, between two lanes.

        Measured on the generated charts (tests/generated_charts.py, 18 detours before): 14,
        generated-156's four gone, nothing else drawn worse. A point for every such crossing
        and label, pulled or not: 11 charts drawn differently, 7 defects on them before, 23
        after (generated-186, -265, -318, -064 flipped among them). Between two rows of one
        lane too, where the label is held in the lane and the point was not (generated-043
        highlighted: 反馈 sent round, 3,229 pt for 746 pt). Beside labels of links up from the
        middle of a row (see _labelled_up_from_mid_row): generated-157 flipped drew a link
        through its own label and one through a label. There (反馈 from 售后 up past 售前部's
        end to 渠道伙伴资质审核与授权签约, 2,480 pt for 545 pt, beside 退回 from
        售后工单分派与满意度回访？ up to 季度业务回顾与续约意向确认, 1,363 pt for 284 pt, its label
        set past the lanes' end) a point of 反馈's own between 销售部 and 售前部, after 退回's
        label, brought 退回 to 304 pt, but 反馈 then ran out to its own label, set past the
        lanes' start in the space above 法务部 (2,909 pt for 1,022 pt), and 49% in 市场部
        through its label; the line of the bands' last anchors drawn through a node in that
        space, the label ordered before it, 退回 208 pt but 反馈 3,063 pt. Ordered after the
        label, on the side of the last anchors, where nothing holds the point: charts(300,
        777001) number 226 flipped and highlighted ran rework from Discovery? out to its label
        past the point and back (1,641 pt for 430 pt)."""
        try:
            return self._beside_second
        except AttributeError:
            pass
        found: dict[int, list[tuple[str, str, str, int, list[str]]]] = {}
        labels_at: dict[int, list[tuple[str, str, str]]] = defaultdict(list)  # space → (label, upper stage, lower stage)
        repeated = self._repeated_links_between_lanes()
        for edge, ends in self._link_ends(labelled=True) if repeated else ():
            if (edge.index in repeated and edge.index not in self._turns() and not self._labelled_up_from_mid_row(edge)
                    and self._second_label_stages_face(*ends)):
                upper, lower = sorted(ends, key=lambda name: self.band_of[name])
                if self.bands[self.band_of[upper]].lane == self.bands[self.band_of[lower]].lane:
                    continue  # (between two rows of one lane its label is held in the lane)
                labels_at[self.band_of[lower]].append((_internal(f"across-{edge.index}"), upper, lower))
        for index, points in self._waypoints().items() if labels_at else ():
            edge = self.process.edges[index]
            source = self._endpoint(edge.source, edge, True)[0]
            target = self._endpoint(edge.target, edge, False)[0]
            place = {name: spot - 0.5 for _band, name, spot in points}
            stops = sorted([(self.band_of[source], source), (self.band_of[target], target)]
                           + [(band, name) for band, name, _spot in points], key=lambda stop: stop[0])
            for (band, stop), (next_band, next_stop) in zip(stops, stops[1:]):
                if next_band - band != 1 or next_band not in labels_at:
                    continue
                if stop not in place or next_stop not in place:
                    continue  # (a part into a stage, or into the link's own label)
                ordered = [label for label, upper, lower in labels_at[next_band]
                           if self._drawn_before(stop, place, upper) and self._drawn_before(next_stop, place, lower)]
                if ordered:
                    point = _internal(f"beside-{index}-{next_band}")
                    found.setdefault(index, []).append((stop, next_stop, point, next_band, ordered))
        self._beside_second = found
        return found

    def _drawn_before(self, point: str, place: dict[str, float], stage: str) -> bool:
        """Whether waypoint `point`, at `place` among its band's stages (half a place before
        the stage it comes before), is drawn before `stage` of the same band, on the side of
        the band's first anchor."""
        return (place[point] < self.place_in_band[stage]) != self._runs_backwards(self.bands[self.band_of[stage]])

    def _stops_beside_second_labels(self, index: int, stops: list[str]) -> tuple[list[str], dict[str, int]]:
        """`stops`, the stages and points link `index` runs through as written, with its points
        beside second labels (see _points_beside_second_labels) put in, each declared in its
        space and ordered against the labels there; and those points with their spaces."""
        found = self._points_beside_second_labels().get(index)
        if not found:
            return stops, {}
        out, added = [stops[0]], {}
        for stop in stops[1:]:
            for one, other, point, space, ordered in found:
                if {out[-1], stop} == {one, other}:
                    self._waypoint(point, 1, (index, len(self._waypoints()[index]) + len(added)))
                    self.loop_labels.append((space, point))
                    # Past the space's anchor, in the line of the bands' first anchors (not held
                    # out beyond the rows' start, see _labels_past_gap_anchor), and before the labels.
                    self.line(1, f"{_internal(f'gap-{space}')} -> {point} [style=invis]")
                    for label in ordered:
                        self.line(1, f"{point} -> {label} [style=invis]")
                    out.append(point)
                    added[point] = space
            out.append(stop)
        return out, added

    def _second_label_stages_face(self, tail: str, head: str) -> bool:
        """Whether the two stages of a second labelled link between neighbouring bands of lanes
        are drawn at about the same place along rows of three to eight stages (see
        _pull_second_label)."""
        places = []
        for name in (tail, head):
            if not 3 <= len(self.bands[self.band_of[name]].nodes) <= 8:
                return False
            places.append(self._share_from_first(name))
        return abs(places[0] - places[1]) <= 0.25

    def _second_labels_beside_points(self) -> frozenset[str]:
        """The labels of second labelled links between lanes that a link through waypoints
        passes through a point of its own (see _points_beside_second_labels)."""
        if not hasattr(self, "_beside_labels"):
            self._beside_labels = frozenset(
                label for found in self._points_beside_second_labels().values()
                for *_where, ordered in found for label in ordered)
        return self._beside_labels

    def _pull_second_label_beside_point(self, edge: Edge, tail: str, head: str) -> None:
        """The label of a second labelled link between lanes, beside the point of a link through
        waypoints that crosses the same space (see _points_beside_second_labels), pulled
        towards the link's stage in the earlier band.

        Without the point, such a label was left unpulled (see _pull_second_label), and dot set
        it at the far end of the space: generated-156's 否 back from 需求了解？ to 交付 and its
        69% the other way, 2,049 pt and 2,331 pt for 291 pt. With the point, pulled towards the
        stage in the later band, as _pull_second_label pulls others, the two were short, but highlighted, the
        hand-off 69% from 试用 down to 渠道伙伴资质审核与授权签约, between the two lanes before,
        ran out to its label and back (1,441 pt for 349 pt); towards the stage in the earlier
        band, no link of that chart is a detour in any of its four drawings (its links 9,467 pt
        in all -> 5,937 pt drawn as written, 10,608 pt -> 6,349 pt highlighted); towards both,
        5,972 pt and 6,292 pt."""
        upper = min((tail, head), key=lambda name: self.band_of[name])
        self.line(1, f"{upper} -> {_internal(f'across-{edge.index}')} [style=invis, weight=10]")
