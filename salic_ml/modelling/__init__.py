"""The modelling wing: analysis frames, indicators, scoring, training, incremental rescoring, fan-out."""
