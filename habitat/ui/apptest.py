"""Streamlit's AppTest, for the benchmark's server-side page renders (habitat.bench imports it
from here, inside one function: the core itself never imports Streamlit)."""

import streamlit as st
from streamlit.testing.v1 import AppTest

__all__ = ["AppTest", "st"]
