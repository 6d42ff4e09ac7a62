"""The learned event detector and typer: features, model, training."""

from __future__ import annotations

from pathlib import Path


def is_model_folder(folder: Path) -> bool:
    """A folder holding a trained model: its arrays and its card (cheap: no NumPy needed)."""
    return (folder / "model.npz").is_file() and (folder / "card.json").is_file()
