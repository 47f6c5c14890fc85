"""hf-regression and nmt-forced end to end through the CLI, on tiny random checkpoints built here."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

pytest.importorskip("torch")
pytest.importorskip("transformers")
spm = pytest.importorskip("sentencepiece")
# tiny random transformers checkpoints, built and loaded here
pytestmark = [pytest.mark.models, pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")]

from mtqa.cli import cli  # noqa: E402
from mtqa.errors import MtqaError  # noqa: E402

SRC = ["Le chat dort sur le canapé.", "Il pleut depuis trois jours.", "La réunion commence à 9 heures."]
MT = ["The cat is sleeping on the sofa.", "It has been raining for three days.", "The meeting starts at 9."]
CORPUS = (SRC + MT + ["le la les un une des the a an of to in", "0 1 2 3 4 5 6 7 8 9 . , ! ?"]) * 10


def _train_spm(prefix: str, **ids) -> str:
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS), model_prefix=prefix, vocab_size=80, model_type="unigram",
        character_coverage=1.0, hard_vocab_limit=False, minloglevel=2, **ids,
    )
    return prefix + ".model"


@pytest.fixture(scope="module")
def bitext(tmp_path_factory):
    d = tmp_path_factory.mktemp("bitext")
    (d / "src.txt").write_text("\n".join(SRC) + "\n", encoding="utf-8")
    (d / "mt.txt").write_text("\n".join(MT) + "\n", encoding="utf-8")
    return str(d / "src.txt"), str(d / "mt.txt")


@pytest.fixture(scope="module")
def regression_dir(tmp_path_factory):
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification, XLMRobertaTokenizer

    d = tmp_path_factory.mktemp("reg")
    model_file = _train_spm(str(d / "sp"), bos_id=0, pad_id=1, eos_id=2, unk_id=3)
    proc = spm.SentencePieceProcessor(model_file=model_file)
    vocab = [(proc.id_to_piece(i), proc.get_score(i)) for i in range(proc.get_piece_size())]
    vocab.append(("<mask>", 0.0))
    tok = XLMRobertaTokenizer(vocab=vocab)
    torch.manual_seed(0)
    cfg = XLMRobertaConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                           intermediate_size=64, max_position_embeddings=160, num_labels=1, type_vocab_size=1,
                           initializer_range=0.5)
    out = d / "ckpt"
    XLMRobertaForSequenceClassification(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def marian_dir(tmp_path_factory):
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    d = tmp_path_factory.mktemp("marian")
    model_file = _train_spm(str(d / "sp"), unk_id=1, bos_id=-1, eos_id=0, pad_id=2)
    proc = spm.SentencePieceProcessor(model_file=model_file)
    vocab = {proc.id_to_piece(i): i for i in range(proc.get_piece_size())}
    (d / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tok = MarianTokenizer(source_spm=model_file, target_spm=model_file, vocab=str(d / "vocab.json"))
    torch.manual_seed(0)
    cfg = MarianConfig(vocab_size=len(vocab), d_model=32, encoder_layers=1, decoder_layers=1,
                       encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
                       decoder_ffn_dim=64, max_position_embeddings=128, pad_token_id=tok.pad_token_id,
                       eos_token_id=tok.eos_token_id, decoder_start_token_id=tok.pad_token_id, init_std=0.5)
    out = d / "ckpt"
    MarianMTModel(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return out


def _score(bitext, scorer, model_dir):
    res = CliRunner().invoke(cli, ["score", *bitext, "--bitext", "--src-lang", "fr", "--tgt-lang", "en",
                                   "--format", "json", "--scorer", scorer, "--model-dir", str(model_dir)])
    return res


@pytest.mark.parametrize(
    "scorer,fixture", [("hf-regression", "regression_dir"), ("nmt-forced", "marian_dir")]
)
def test_scorer_end_to_end(bitext, scorer, fixture, request, monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("MTQA_NO_CACHE", "1")  # load the model even where a kept test cache has its scores
    model_dir = request.getfixturevalue(fixture)
    res = _score(bitext, scorer, model_dir)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    values = [seg["scores"][scorer] for seg in data["segments"]]
    assert len(values) == 3
    assert all(v is not None and 0.0 <= v <= 1.0 for v in values)
    assert len(set(round(v, 9) for v in values)) > 1  # a random model still tells inputs apart
    assert [m for m in data["models"] if m["name"] == scorer][0]["sha256"]
    import os

    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"


def test_nmt_forced_is_mean_token_logprob(marian_dir):
    """exp(mean log p(mt token | src, prefix)) recomputed by hand from the logits."""
    import math

    import torch

    from mtqa.scorers import ScoringInput
    from mtqa.scorers.transformers_scorers import NMTForcedScorer

    scorer = NMTForcedScorer(model_dir=str(marian_dir))
    got = scorer.score([ScoringInput(SRC[0], MT[0], "fr", "en"), ScoringInput(" ", MT[0], "fr", "en")])
    assert got[1] is None
    tok, model, _ = scorer._load()
    enc = tok([SRC[0]], text_target=[MT[0]], return_tensors="pt")
    with torch.no_grad():
        logits = model(**enc).logits[0]
    labels = enc["labels"][0]
    lp = torch.log_softmax(logits, -1)[torch.arange(len(labels)), labels].mean()
    assert got[0] == pytest.approx(math.exp(float(lp)), rel=1e-4)


def test_refuses_pickle_only_and_remote_code(tmp_path, regression_dir, bitext):
    import shutil

    from mtqa.scorers.transformers_scorers import HFRegressionScorer, check_local_checkpoint

    pickled = tmp_path / "pickled"
    shutil.copytree(regression_dir, pickled)
    (pickled / "model.safetensors").unlink()
    (pickled / "pytorch_model.bin").write_bytes(b"not really a pickle")
    with pytest.raises(MtqaError, match="pickle"):
        check_local_checkpoint(pickled)
    res = _score(bitext, "hf-regression", pickled)
    assert res.exit_code != 0 and isinstance(res.exception, MtqaError) and "pickle" in str(res.exception)

    remote = tmp_path / "remote"
    shutil.copytree(regression_dir, remote)
    cfg = json.loads((remote / "config.json").read_text())
    cfg["auto_map"] = {"AutoModelForSequenceClassification": "modeling_evil.Evil"}
    (remote / "config.json").write_text(json.dumps(cfg))
    with pytest.raises(MtqaError, match="custom code"):
        check_local_checkpoint(remote)
    ok, why = HFRegressionScorer(model_dir=str(remote)).available()
    assert not ok and "custom code" in why

    ok, why = HFRegressionScorer().available()
    assert not ok and "--model-dir" in why


def test_nmt_forced_rejects_other_architectures(regression_dir):
    from mtqa.scorers import ScoringInput
    from mtqa.scorers.transformers_scorers import NMTForcedScorer

    with pytest.raises(MtqaError, match="Marian or M2M100"):
        NMTForcedScorer(model_dir=str(regression_dir)).score([ScoringInput(SRC[0], MT[0], "fr", "en")])
