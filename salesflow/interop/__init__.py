"""BPMN 2.0 and draw.io, out and in: salesflow meets the modelling tools sales-operations teams use.

- `layout.py`: where every node, lane and link sits, from the Graphviz layout the SVG uses;
- `bpmn_flow.py`: which BPMN element each stage and link becomes (events, user tasks, gateways);
- `bpmn_out.py` and `drawio_out.py`: `render -f bpmn` and `render -f drawio`;
- `xml_reader.py`: the one hardened XML reader every import goes through;
- `bpmn_in.py` and `drawio_in.py`: a BPMN or draw.io file read into a `draft.Draft`;
- `draft.py`: what an import found, and the process file it becomes;
- `report.py`: what an import could not express, for the user to see.
"""
