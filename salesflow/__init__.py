"""salesflow: sales processes written as Mermaid flowcharts, reviewed, drawn and turned into handbooks."""

__version__ = "0.1.0"
