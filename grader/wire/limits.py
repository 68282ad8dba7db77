"""The resource limits of a sandboxed child: set by a worksheet, applied by the parent (time)
and by the child itself (memory, files, processes), so both sides of the wire share them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Limits(BaseModel):
    """Resource limits of the child that runs a submission."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    call_timeout: float = Field(5.0, gt=0, description="seconds for one case (all its calls)")
    load_timeout: float = Field(10.0, gt=0, description="seconds to run the submission's top level (all cells)")
    cell_timeout: float = Field(3.0, gt=0, description="seconds for one notebook cell before it is interrupted")
    total_timeout: float = Field(60.0, gt=0, description="seconds for the whole submission")
    memory_mb: int = Field(1024, ge=64, description="address-space limit of the child, MiB")
    file_mb: int = Field(16, ge=0, description="largest file the child may write, MiB")
    output_kb: int = Field(1024, ge=1, description="captured stdout/stderr kept, KiB each")
    result_mb: int = Field(64, ge=1, description="largest result message accepted, MiB")
    processes: int = Field(64, ge=4, description="processes and threads the child may run at once")
    namespaces: bool = Field(True, description="use Linux namespaces where the system allows them")
