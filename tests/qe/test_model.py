"""mtqa.qe.model: an adapter of a lower LoRA rank starts a higher-rank model that computes the same thing,
and a strict load still refuses a shape that does not match."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from mtqa.qe.model import QEModel, batch_tensors  # noqa: E402


def _tiny_bert():
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=30, hidden_size=16, num_hidden_layers=3,
                                     num_attention_heads=2, intermediate_size=32, max_position_embeddings=40,
                                     hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    return transformers.BertModel(config, add_pooling_layer=False).eval()


def _trained(model: QEModel) -> QEModel:
    with torch.no_grad():  # a LoRA that does something: B is zero at initialisation
        for p in model.parameters():
            if p.requires_grad:
                p.add_(torch.randn_like(p) * 0.2)
    return model.eval()


def test_higher_rank_starts_from_a_lower_rank_adapter():
    bert = _tiny_bert()
    low = _trained(QEModel(bert, split=1, r=2, alpha=4.0, dropout=0.0, word_head=True))
    high = QEModel(_tiny_bert(), split=1, r=8, alpha=16.0, dropout=0.0, word_head=True).eval()
    batch = batch_tensors([[0, 5, 6, 2, 2, 7, 8, 9, 2], [0, 4, 2, 2, 11, 2]], [2, 1])
    with torch.inference_mode():
        before = high(*batch)[0]
    high.load_adapter_state(low.adapter_state(), strict=False)
    with torch.inference_mode():
        want, got = low(*batch), high(*batch)
    assert not torch.allclose(before, want[0], atol=1e-3)  # the load changed what the model computes
    assert torch.allclose(got[0], want[0], atol=1e-5)
    assert torch.allclose(got[1], want[1], atol=1e-5)
    with pytest.raises(RuntimeError):
        high.load_adapter_state(low.adapter_state(), strict=True)
