"""The learned event detector and typer: features, model, training."""
