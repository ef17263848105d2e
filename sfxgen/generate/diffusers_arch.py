"""Random-weight diffusers audio pipelines built offline, for architecture tests and benchmarks.

Nothing here generates useful audio: weights are random. These builders exist so that

* tests can run the AudioLDM 2 / Stable Audio backends end to end (including
  ``save_pretrained`` / ``from_pretrained(local_files_only=True)``) with tiny models and no
  download, and
* ``bench/generate.py`` can time the compute of AudioLDM 2 at its published sizes (cvssp/audioldm2:
  350M-parameter UNet, CLAP text+audio, Flan-T5-large encoder, GPT-2 base, HiFi-GAN).

Tokenizers are made locally: a byte-level BPE (Roberta-style, trained with ``tokenizers`` on a
few built-in sentences) and a unigram T5 vocabulary given in memory.
"""

from __future__ import annotations

_TEXT = """
a hammer hitting a wooden surface. heavy metal door slam in a large hall. rain falling on a tin roof.
distant thunder rumbling over the hills. a small glass bottle shattering on concrete. footsteps on gravel.
a laser gun firing in a sci-fi corridor. wind howling through a canyon. fire crackling in a fireplace.
an explosion with debris falling. a creature growling in a cave. water dripping in a dark cellar.
engine idling then revving. a bell ringing once with a long decay. crowd murmuring in a busy station.
"""


def roberta_tokenizer(*, vocab_size: int = 400, model_max_length: int = 77):
    """A Roberta (byte-level BPE) tokenizer trained in memory on a few sentences."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import RobertaTokenizer

    bpe = ByteLevelBPETokenizer()
    specials = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    bpe.train_from_iterator([_TEXT] * 4, vocab_size=vocab_size, min_frequency=1, special_tokens=specials)
    model = bpe.get_vocab()
    import json

    state = json.loads(bpe._tokenizer.model.__getstate__())  # {"vocab":..., "merges": [...]}
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in state["merges"]]
    return RobertaTokenizer(vocab=model, merges=merges, model_max_length=model_max_length)


def t5_tokenizer(*, model_max_length: int = 128):
    """A T5 (unigram) tokenizer from an in-memory vocabulary of words and characters."""
    from transformers import T5Tokenizer

    words = sorted(set(_TEXT.replace(".", " ").split()))
    chars = sorted(set("".join(words)) | set("abcdefghijklmnopqrstuvwxyz0123456789"))
    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += [("\u2581" + w, -2.0 - 0.01 * i) for i, w in enumerate(words)]
    vocab += [("\u2581", -3.0)] + [(c, -5.0) for c in chars]
    return T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=model_max_length)


def _clap(text_hidden: int, text_layers: int, vocab: int, proj: int, *, tiny: bool):
    from transformers import ClapAudioConfig, ClapConfig, ClapModel, ClapTextConfig

    text = ClapTextConfig(vocab_size=vocab, hidden_size=text_hidden, intermediate_size=(37 if tiny else 3072),
                          num_hidden_layers=text_layers, num_attention_heads=(2 if tiny else 12),
                          bos_token_id=0, eos_token_id=2, pad_token_id=1, projection_dim=proj)
    if tiny:
        audio = ClapAudioConfig(spec_size=64, window_size=4, num_mel_bins=64, intermediate_size=37, depths=[2, 2],
                                num_attention_heads=[2, 2], num_hidden_layers=2, hidden_size=192,
                                projection_dim=proj, patch_size=2, patch_stride=2, patch_embed_input_channels=4)
    else:
        audio = ClapAudioConfig(projection_dim=proj)
    return ClapModel(ClapConfig(text_config=text.to_dict(), audio_config=audio.to_dict(), projection_dim=proj))


def tiny_audioldm2_pipeline(seed: int = 0):
    """AudioLDM2Pipeline with the tiny sizes of diffusers' own fast tests (16 kHz vocoder)."""
    import torch
    from diffusers import AudioLDM2Pipeline, AudioLDM2ProjectionModel, AudioLDM2UNet2DConditionModel, AutoencoderKL
    from diffusers import DDIMScheduler
    from transformers import ClapFeatureExtractor, GPT2Config, GPT2LMHeadModel, SpeechT5HifiGan, SpeechT5HifiGanConfig
    from transformers import T5Config, T5EncoderModel

    torch.manual_seed(seed)
    tok, tok2 = roberta_tokenizer(), t5_tokenizer(model_max_length=77)
    unet = AudioLDM2UNet2DConditionModel(
        block_out_channels=(8, 16), layers_per_block=1, sample_size=32, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=([None, 16, 32], [None, 16, 32]), norm_num_groups=8, attention_head_dim=4)
    vae = AutoencoderKL(block_out_channels=[8, 16], in_channels=1, out_channels=1, norm_num_groups=8,
                        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2,
                        latent_channels=4)
    clap = _clap(16, 2, max(1000, len(tok)), 16, tiny=True)
    t5 = T5EncoderModel(T5Config(vocab_size=max(1000, len(tok2)), d_model=32, d_ff=37, d_kv=8, num_heads=2, num_layers=1))
    gpt = GPT2LMHeadModel(GPT2Config(n_embd=16, n_head=2, n_layer=1, vocab_size=1000, n_ctx=99, n_positions=99,
                                     bos_token_id=0, eos_token_id=2))
    gpt.config.max_new_tokens = 8
    proj = AudioLDM2ProjectionModel(text_encoder_dim=16, text_encoder_1_dim=32, langauge_model_dim=16)
    vocoder = SpeechT5HifiGan(SpeechT5HifiGanConfig(
        model_in_dim=8, sampling_rate=16000, upsample_initial_channel=16, upsample_rates=[2, 2],
        upsample_kernel_sizes=[4, 4], resblock_kernel_sizes=[3, 7], resblock_dilation_sizes=[[1, 3, 5], [1, 3, 5]],
        normalize_before=False))
    sched = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
                          set_alpha_to_one=False)
    fe = ClapFeatureExtractor(feature_size=64, sampling_rate=48000, hop_length=7900)
    return AudioLDM2Pipeline(vae=vae, text_encoder=clap, text_encoder_2=t5, projection_model=proj, language_model=gpt,
                             tokenizer=tok, tokenizer_2=tok2, feature_extractor=fe, unet=unet, scheduler=sched,
                             vocoder=vocoder)


def audioldm2_published_pipeline(seed: int = 0):
    """AudioLDM2Pipeline at the published sizes of cvssp/audioldm2 (about 1.1B parameters), random
    weights. For timing the architecture's compute only."""
    import torch
    from diffusers import AudioLDM2Pipeline, AudioLDM2ProjectionModel, AudioLDM2UNet2DConditionModel, AutoencoderKL
    from diffusers import DDIMScheduler
    from transformers import ClapFeatureExtractor, GPT2Config, GPT2LMHeadModel, SpeechT5HifiGan, SpeechT5HifiGanConfig
    from transformers import T5Config, T5EncoderModel

    torch.manual_seed(seed)
    tok, tok2 = roberta_tokenizer(), t5_tokenizer(model_max_length=128)
    unet = AudioLDM2UNet2DConditionModel(
        sample_size=256, in_channels=8, out_channels=8, block_out_channels=(128, 256, 384, 640), layers_per_block=2,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
        attention_head_dim=(4, 8, 12, 20), cross_attention_dim=([None, 768, 1024],) * 4)
    vae = AutoencoderKL(in_channels=1, out_channels=1, block_out_channels=(128, 256, 512), layers_per_block=2,
                        down_block_types=["DownEncoderBlock2D"] * 3, up_block_types=["UpDecoderBlock2D"] * 3,
                        latent_channels=8, sample_size=1024)
    clap = _clap(768, 12, 50265, 512, tiny=False)
    t5 = T5EncoderModel(T5Config(vocab_size=32128, d_model=1024, d_ff=2816, d_kv=64, num_heads=16, num_layers=24,
                                 feed_forward_proj="gated-gelu"))
    gpt = GPT2LMHeadModel(GPT2Config(n_embd=768, n_head=12, n_layer=12, vocab_size=50257))
    gpt.config.max_new_tokens = 8
    proj = AudioLDM2ProjectionModel(text_encoder_dim=512, text_encoder_1_dim=1024, langauge_model_dim=768)
    vocoder = SpeechT5HifiGan(SpeechT5HifiGanConfig(
        model_in_dim=64, sampling_rate=16000, upsample_initial_channel=1024, upsample_rates=[5, 4, 2, 2, 2],
        upsample_kernel_sizes=[16, 16, 8, 4, 4], resblock_kernel_sizes=[3, 7, 11],
        resblock_dilation_sizes=[[1, 3, 5], [1, 3, 5], [1, 3, 5]], normalize_before=False))
    sched = DDIMScheduler(beta_start=0.0015, beta_end=0.0195, beta_schedule="scaled_linear", steps_offset=1,
                          clip_sample=False, set_alpha_to_one=False)
    fe = ClapFeatureExtractor()
    return AudioLDM2Pipeline(vae=vae, text_encoder=clap, text_encoder_2=t5, projection_model=proj, language_model=gpt,
                             tokenizer=tok, tokenizer_2=tok2, feature_extractor=fe, unet=unet, scheduler=sched,
                             vocoder=vocoder)


def tiny_stable_audio_pipeline(seed: int = 0, *, sampling_rate: int = 1000, sample_size: int = 256):
    """StableAudioPipeline with tiny DiT/Oobleck sizes (as diffusers' tests) and a T5 tokenizer made
    in memory. ``sampling_rate`` of the tiny VAE and ``sample_size`` latents set the longest clip:
    ``sample_size * 2 / sampling_rate`` seconds."""
    import torch
    from diffusers import AutoencoderOobleck, CosineDPMSolverMultistepScheduler, StableAudioDiTModel
    from diffusers import StableAudioPipeline, StableAudioProjectionModel
    from transformers import T5Config, T5EncoderModel

    torch.manual_seed(seed)
    tok = t5_tokenizer(model_max_length=25)
    transformer = StableAudioDiTModel(sample_size=sample_size, in_channels=3, num_layers=2, attention_head_dim=4,
                                      num_key_value_attention_heads=2, out_channels=3, cross_attention_dim=4,
                                      time_proj_dim=8, global_states_input_dim=8, cross_attention_input_dim=4)
    sched = CosineDPMSolverMultistepScheduler(solver_order=2, prediction_type="v_prediction", sigma_data=1.0,
                                              sigma_schedule="exponential")
    vae = AutoencoderOobleck(encoder_hidden_size=6, downsampling_ratios=[1, 2], decoder_channels=3,
                             decoder_input_channels=3, audio_channels=2, channel_multiples=[2, 4],
                             sampling_rate=sampling_rate)
    t5 = T5EncoderModel(T5Config(vocab_size=max(1000, len(tok)), d_model=32, d_ff=37, d_kv=8, num_heads=2, num_layers=1))
    proj = StableAudioProjectionModel(text_encoder_dim=32, conditioning_dim=4, min_value=0, max_value=32)
    return StableAudioPipeline(transformer=transformer, scheduler=sched, vae=vae, text_encoder=t5, tokenizer=tok,
                               projection_model=proj)
