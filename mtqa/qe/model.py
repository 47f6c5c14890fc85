"""The QE cross-encoder: e5-small (frozen lower layers) + LoRA on the top layers + a small regression head.

Input is "<s> src </s></s> mt </s>" (max 128 tokens). The head reads the [CLS] state, the mean of all
tokens, the means of the source and of the translation tokens, their absolute difference and product.
Everything here imports torch, so import this module lazily.
"""

from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn

LORA_TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float = 0.0) -> None:
        super().__init__()
        self.base = base
        self.r, self.scale = r, alpha / r
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.drop = nn.Dropout(dropout) if dropout else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (self.drop(x) @ self.lora_A.t() @ self.lora_B.t()) * self.scale

    def merged(self) -> nn.Linear:
        with torch.no_grad():
            self.base.weight += (self.lora_B @ self.lora_A) * self.scale
        return self.base


def _get(module: nn.Module, dotted: str) -> nn.Module:
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


def _set(module: nn.Module, dotted: str, value: nn.Module) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        module = getattr(module, part)
    setattr(module, last, value)


class Head(nn.Module):
    def __init__(self, hidden: int, inner: int = 256, dropout: float = 0.1) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(6 * hidden, inner), nn.Tanh(), nn.Dropout(dropout),
            nn.Linear(inner, 1),
        )

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        return self.net(feats).squeeze(-1)


class WordHead(nn.Module):
    """Per-token BAD logit from the top layer's token state and the [CLS] state."""

    def __init__(self, hidden: int, inner: int = 256, dropout: float = 0.1) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Dropout(dropout), nn.Linear(2 * hidden, inner), nn.Tanh(), nn.Dropout(dropout),
            nn.Linear(inner, 1),
        )

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        cls = h[:, :1].expand(-1, h.shape[1], -1)
        return self.net(torch.cat([h, cls], dim=-1)).squeeze(-1)


class QEModel(nn.Module):
    """e5 encoder split at layer `split`: lower() is frozen (cacheable), upper() carries LoRA + head.

    `layers`: keep only the first `layers` encoder layers (None: all); fewer layers, proportionally faster.
    `word_head`: also predict a BAD logit per token (forward then returns (score, token_logits))."""

    def __init__(self, bert: nn.Module, split: int = 8, r: int = 16, alpha: float = 32.0,
                 dropout: float = 0.1, layers: int | None = None, word_head: bool = False) -> None:
        super().__init__()
        if layers is not None and layers < len(bert.encoder.layer):
            if not 0 < split < layers:
                raise ValueError(f"split {split} must lie between 0 and layers {layers}")
            bert.encoder.layer = bert.encoder.layer[:layers]
            bert.config.num_hidden_layers = layers
        self.bert, self.split, self.r, self.alpha = bert, split, r, alpha
        for p in self.bert.parameters():
            p.requires_grad_(False)
        self.lora_names: list[str] = []
        for layer in range(split, len(bert.encoder.layer)):
            for target in LORA_TARGETS:
                name = f"encoder.layer.{layer}.{target}"
                _set(bert, name, LoRALinear(_get(bert, name), r, alpha, dropout))
                self.lora_names.append(name)
        self.head = Head(bert.config.hidden_size, dropout=dropout)
        self.word = WordHead(bert.config.hidden_size, dropout=dropout) if word_head else None

    @staticmethod
    def additive_mask(mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        return (1.0 - mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min

    def lower(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        h = self.bert.embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids))
        am = self.additive_mask(mask, h.dtype)
        for layer in self.bert.encoder.layer[: self.split]:
            h = layer(h, attention_mask=am)
            h = h[0] if isinstance(h, tuple) else h
        return h

    def upper(self, h: torch.Tensor, mask: torch.Tensor, src_mask: torch.Tensor, mt_mask: torch.Tensor,
              tokens: bool = False):
        """The segment score; with `tokens` (and a word head) also the per-token BAD logits."""
        am = self.additive_mask(mask, h.dtype)
        for layer in self.bert.encoder.layer[self.split :]:
            h = layer(h, attention_mask=am)
            h = h[0] if isinstance(h, tuple) else h

        def mean(m: torch.Tensor) -> torch.Tensor:
            m = m.to(h.dtype).unsqueeze(-1)
            return (h * m).sum(1) / m.sum(1).clamp(min=1.0)

        ms, mt = mean(src_mask), mean(mt_mask)
        feats = torch.cat([h[:, 0], mean(mask), ms, mt, (ms - mt).abs(), ms * mt], dim=-1)
        if tokens and self.word is not None:
            return self.head(feats), self.word(h)
        return self.head(feats)

    def forward(self, ids, mask, src_mask, mt_mask):
        return self.upper(self.lower(ids, mask), mask, src_mask, mt_mask, tokens=True)

    # -- the shipped adapter: LoRA matrices + head, nothing from the base ---------------------------
    def adapter_state(self) -> dict[str, torch.Tensor]:
        out = {}
        for name in self.lora_names:
            mod = _get(self.bert, name)
            out[f"lora.{name}.A"] = mod.lora_A.detach().clone().contiguous()
            out[f"lora.{name}.B"] = mod.lora_B.detach().clone().contiguous()
        for k, v in self.head.state_dict().items():
            out[f"head.{k}"] = v.detach().clone().contiguous()
        if self.word is not None:
            for k, v in self.word.state_dict().items():
                out[f"word.{k}"] = v.detach().clone().contiguous()
        return out

    def load_adapter_state(self, state: dict[str, torch.Tensor], strict: bool = True) -> None:
        """Load an adapter; `strict=False` skips LoRA layers and the word head the state lacks (to start
        from an adapter with fewer trained layers) and starts a higher-rank LoRA from a lower-rank one: the
        stored rows of A and columns of B fill the first slots, and the rest of B stays zero, so the model
        computes what the stored adapter did (alpha = 2 * rank keeps the scale)."""
        for name in self.lora_names:
            mod = _get(self.bert, name)
            if not strict and f"lora.{name}.A" not in state:
                continue
            a, b = state[f"lora.{name}.A"].float(), state[f"lora.{name}.B"].float()
            with torch.no_grad():
                if strict or a.shape == mod.lora_A.shape:
                    mod.lora_A.copy_(a)
                    mod.lora_B.copy_(b)
                else:
                    mod.lora_A[: a.shape[0]].copy_(a)
                    mod.lora_B.zero_()
                    mod.lora_B[:, : b.shape[1]].copy_(b)
        self.head.load_state_dict({k[5:]: v.float() for k, v in state.items() if k.startswith("head.")})
        word = {k[5:]: v.float() for k, v in state.items() if k.startswith("word.")}
        if self.word is not None and (word or strict):
            self.word.load_state_dict(word)

    def merge(self) -> None:
        """Fold LoRA into the base weights for inference."""
        for name in self.lora_names:
            mod = _get(self.bert, name)
            if isinstance(mod, LoRALinear):
                _set(self.bert, name, mod.merged())
        self.lora_names = []


def load_base(model_dir: str | Path) -> nn.Module:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import BertConfig, BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    config = BertConfig.from_pretrained(str(model_dir))
    config.hidden_dropout_prob = 0.0
    config.attention_probs_dropout_prob = 0.0
    config._attn_implementation = "sdpa"
    model = BertModel.from_pretrained(
        str(model_dir), config=config, add_pooling_layer=False, use_safetensors=True
    )
    return model.eval()


def batch_tensors(seqs: list[list[int]], src_lens: list[int], pad_id: int = 1):
    """`mtqa.qe.tokenizer.batch_arrays` as torch tensors."""
    from mtqa.qe.tokenizer import batch_arrays

    return tuple(torch.from_numpy(a) for a in batch_arrays(seqs, src_lens, pad_id))
