"""load_from / save_to / dataloader / datasaver."""

from hamilton.function_modifiers import dataloader, datasaver, load_from, save_to, source, value


@dataloader()
def settings(path: str = "settings.json") -> tuple[dict, dict]:
    return {"debug": True}, {"path": path}


@datasaver()
def saved(settings: dict) -> dict:
    return {"saved": len(settings)}


@load_from.json(path=source("config_path"))
def loaded(data: dict) -> dict:
    return data


@save_to.json(path=value("out.json"), output_name_="written")
def output(settings: dict) -> dict:
    return settings
