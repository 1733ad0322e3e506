"""Known-answer tests of the cipher providers (SEC-4): GB/T 32907, RFC 8998, GB/T 32905, GCM.

The software providers must compute the published vectors exactly; a hardware module that
replaces them (R-ARCH-2) must pass the same vectors.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from baomi.vault import crypto

SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


def test_sm4_block_matches_gbt_32907_example():
    """SM4 encrypts the GB/T 32907 example block (key = plaintext = 0123…3210) to 681edf34…4246."""
    encryptor = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor()  # noqa: S305  # single-block KAT
    assert encryptor.update(SM4_KEY) + encryptor.finalize() == bytes.fromhex(
        "681edf34d206965e86b3e94f536e4246"
    )


RFC8998_IV = bytes.fromhex("00001234567800000000abcd")
RFC8998_AAD = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
RFC8998_PT = bytes.fromhex(
    "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd"
    "eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa"
)
RFC8998_CT = bytes.fromhex(
    "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
    "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
)
RFC8998_TAG = bytes.fromhex("83de3541e4c2b58177e065a9bf7b62ec")


def test_sm4_gcm_provider_matches_rfc_8998_vector():
    """The SM4-GCM provider seals and opens the RFC 8998 Appendix A.1 vector."""
    provider = crypto.get_provider("sm4")
    sealed = provider.seal(SM4_KEY, RFC8998_IV, RFC8998_PT, RFC8998_AAD)
    assert sealed == RFC8998_CT + RFC8998_TAG
    assert provider.open(SM4_KEY, RFC8998_IV, sealed, RFC8998_AAD) == RFC8998_PT


def test_sm4_gcm_provider_rejects_a_changed_tag_or_aad():
    """A flipped tag bit or other associated data fails (SEC-4 authenticated encryption)."""
    provider = crypto.get_provider("sm4")
    bad_tag = RFC8998_CT + bytes([RFC8998_TAG[0] ^ 1]) + RFC8998_TAG[1:]
    with pytest.raises(crypto.DecryptionFailed):
        provider.open(SM4_KEY, RFC8998_IV, bad_tag, RFC8998_AAD)
    with pytest.raises(crypto.DecryptionFailed):
        provider.open(SM4_KEY, RFC8998_IV, RFC8998_CT + RFC8998_TAG, b"other")
    with pytest.raises(crypto.DecryptionFailed):
        provider.open(SM4_KEY, RFC8998_IV, b"short", RFC8998_AAD)


AES_KEY = bytes.fromhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308")
AES_IV = bytes.fromhex("cafebabefacedbaddecaf888")
AES_AAD = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
AES_PT = bytes.fromhex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
)
AES_CT = bytes.fromhex(
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
)
AES_TAG = bytes.fromhex("76fc6ece0f4e1768cddf8853bb2d551b")


def test_aes_gcm_provider_matches_gcm_spec_test_case_16():
    """The AES-256-GCM provider matches McGrew–Viega GCM test case 16 (AES-256, 60 bytes, AAD)."""
    provider = crypto.get_provider("aes")
    sealed = provider.seal(AES_KEY, AES_IV, AES_PT, AES_AAD)
    assert sealed == AES_CT + AES_TAG
    assert provider.open(AES_KEY, AES_IV, sealed, AES_AAD) == AES_PT
    with pytest.raises(crypto.DecryptionFailed):
        provider.open(AES_KEY, AES_IV, sealed[:-1] + b"\x00", AES_AAD)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
    ],
)
def test_sm3_digest_matches_gbt_32905_examples(message, expected):
    """The SM4 provider's digest is SM3: the two GB/T 32905 examples ("abc", 64 bytes)."""
    digest = crypto.get_provider("sm4").new_digest()
    digest.update(message)
    assert digest.name == "sm3"
    assert digest.hexdigest() == expected


def test_aes_provider_digest_is_sha256():
    """The AES provider's digest is SHA-256 (FIPS 180-4 "abc" example)."""
    digest = crypto.get_provider("aes").new_digest()
    digest.update(b"abc")
    assert digest.name == "sha256"
    assert digest.hexdigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@pytest.mark.parametrize("name", ["sm4", "aes"])
def test_key_wrap_round_trip_and_binding(name):
    """A wrapped data key unwraps only under the same KEK and associated data (SEC-4)."""
    provider = crypto.get_provider(name)
    kek = provider.derive_kek(b"m" * 32, b"mk-1")
    other = provider.derive_kek(b"m" * 32, b"mk-2")
    assert len(kek) == provider.key_size and kek != other
    data_key = provider.new_key()
    wrapped = provider.wrap_key(kek, data_key, b"blob-1")
    assert len(wrapped) == 12 + provider.key_size + 16
    assert provider.unwrap_key(kek, wrapped, b"blob-1") == data_key
    for bad in [(other, wrapped, b"blob-1"), (kek, wrapped, b"blob-2"), (kek, wrapped[:-1], b"blob-1")]:
        with pytest.raises(crypto.DecryptionFailed):
            provider.unwrap_key(*bad)


def test_provider_registry_replaces_by_name_and_guards_codes():
    """A hardware provider can replace a software one by name; header codes stay unique (R-ARCH-2)."""
    original = crypto.get_provider("sm4")

    class HardwareSM4(crypto.SM4GCMProvider):
        pass

    try:
        crypto.register_provider(HardwareSM4())
        assert isinstance(crypto.get_provider("sm4"), HardwareSM4)
        assert isinstance(crypto.provider_for_code(1), HardwareSM4)
    finally:
        crypto.register_provider(original)
    clash = crypto.AES256GCMProvider()
    clash.name = "clash"
    with pytest.raises(ValueError, match="already used"):
        crypto.register_provider(clash)
    with pytest.raises(LookupError):
        crypto.get_provider("des")
    with pytest.raises(LookupError):
        crypto.provider_for_code(99)


def test_both_digest_backends_give_the_gbt_32905_answer():
    """hashlib's OpenSSL SM3 (used for speed) and cryptography's SM3 agree on the standard vector."""
    from cryptography.hazmat.primitives import hashes

    for digest in (crypto.OpenSSLDigest("sm3"), crypto.HashDigest("sm3", hashes.SM3())):
        digest.update(b"abc")
        assert digest.hexdigest() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
