defmodule Quarry.Counter do
  @moduledoc "Counts words."
  use GenServer

  def start_link(opts \\ []) do
    GenServer.start_link(__MODULE__, %{}, opts)
  end

  def count(text) when is_binary(text) do
    text
    |> String.split(~r/\s+/, trim: true)
    |> Enum.frequencies()
  end

  @impl true
  def init(state), do: {:ok, state}

  @impl true
  def handle_call({:get, key}, _from, state) do
    {:reply, Map.get(state, key, 0), state}
  end
end
