import asyncio

# %% [markdown]
# ## Two tasks
#
# Side by side.

# %% two tasks
async def main():
    await asyncio.gather(asyncio.sleep(0.1), asyncio.sleep(0.2))

#%%
asyncio.run(main())
# %% [raw]
# raw
