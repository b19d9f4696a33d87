//! Render: figures in, report files out.
