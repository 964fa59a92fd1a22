"""The root-cause board (R15): reasons owned by departments, spikes, problems and their impact."""
