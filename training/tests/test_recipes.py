"""`train` without --recipe is still the shipped model's command; v2 is the issue-12 split."""
from attune_train.splits import HELD_OUT, V1_TRAIN, V2_TRAIN
from attune_train.train import parse_args


def test_default_command_is_v1_as_shipped():
    a = parse_args([])
    assert (a.recipe, a.steps, a.finetune_steps, a.batch, a.crop, a.lr, a.seed, a.augment) == ("v1", 2000, 200, 8, 128, 2e-3, 18, "v1")
    assert a.train_cases == V1_TRAIN and len(V1_TRAIN) == 7
    assert a.val_cases == ["BraTS2021_00024", "BraTS2021_00031"]
    assert a.target_cases == ["BraTS2021_00324", "BraTS2021_00389"]


def test_v2_trains_on_ten_institution_18_scans_and_never_on_a_held_out_one():
    a = parse_args(["--recipe", "v2", "--steps", "12"])
    assert a.steps == 12 and a.augment == "v2"        # flags still override the recipe
    assert a.train_cases == V2_TRAIN and len(set(V2_TRAIN)) == 10
    assert {"BraTS2021_00012", "BraTS2021_00630", "BraTS2021_00739"} <= set(V2_TRAIN)
    assert not set(V2_TRAIN) & set(HELD_OUT)
    assert a.val_cases + a.target_cases == HELD_OUT and len(HELD_OUT) == 6


def test_v2_warm_starts_from_the_shipped_v1_and_draws_tumour_free_crops():
    a = parse_args(["--recipe", "v2"])
    assert a.init and a.init.endswith("models/attune-brats-inst18")
    assert (a.steps, a.batch, a.crop, a.tumour_free_fraction) == (4500, 8, 128, 0.1)
    assert parse_args([]).init is None and parse_args([]).tumour_free_fraction == 0.0
